// Share links and short links: CreateShareLinks (one short link per post,
// network and sharer, made once and returned again), GetShortLink,
// ListShortLinks and the GDPR export.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SHARE_LINKS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SHARE_LINKS_H_

#include "absl/status/statusor.h"
#include "agora/share/v1/share.pb.h"
#include "libs/auth/principal.h"
#include "services/share/domain/share_context.h"
#include "services/share/repository/link_store.h"

namespace agora::share {

// The short link as clients see it.
v1::ShortLink ShortLinkOf(const v1::ShareSettings& settings,
                          const LinkRow& link);

absl::StatusOr<v1::CreateShareLinksResponse> CreateShareLinks(
    ShareContext& context, const auth::Principal* caller,
    const v1::CreateShareLinksRequest& request);

absl::StatusOr<v1::ShortLink> GetShortLink(
    ShareContext& context, const auth::Principal& caller,
    const v1::GetShortLinkRequest& request);

absl::StatusOr<v1::ListShortLinksResponse> ListShortLinks(
    ShareContext& context, const auth::Principal& caller,
    const v1::ListShortLinksRequest& request);

absl::StatusOr<v1::MemberShareData> ExportMemberData(
    ShareContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SHARE_LINKS_H_
