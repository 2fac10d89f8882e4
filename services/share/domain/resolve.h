// ResolveShortLink, the gateway's `/s/{code}`: where to redirect (the
// link's target on an allowed host, or the tenant's "no longer available"
// page), the preview for crawlers, and the click counted in Redis — one
// script, one round trip — for the flusher to carry to PostgreSQL.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_RESOLVE_H_
#define AGORA_SERVICES_SHARE_DOMAIN_RESOLVE_H_

#include <string>

#include "absl/status/statusor.h"
#include "agora/share/v1/share.pb.h"
#include "libs/auth/principal.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

absl::StatusOr<v1::ResolveShortLinkResponse> ResolveShortLink(
    ShareContext& context, const auth::Principal& caller,
    const v1::ResolveShortLinkRequest& request);

// Hex of HMAC-SHA-256(secret, tenant NUL visitor_key), 32 characters: what
// Redis counts instead of the visitor key.
std::string VisitorHash(const std::string& secret, const std::string& tenant,
                        const std::string& visitor_key);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_RESOLVE_H_
