// Who may call what (share.proto's header and method comments), checked by
// every domain entry point itself: tenant first, then role or scope.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_ACCESS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_ACCESS_H_

#include <string>

#include "absl/status/status.h"
#include "libs/auth/principal.h"

namespace agora::share {

// The scope of the gateway's service account for ResolveShortLink.
inline constexpr char kResolveScope[] = "share.resolve";

// Tenant admins of the tenant and platform admins.
absl::Status RequireTenantAdmin(const auth::Principal& caller,
                                const std::string& tenant);

// Moderators and tenant admins of the tenant, platform admins.
bool IsModeratorOrAdmin(const auth::Principal& caller);

// Public reads: anonymous callers pass; a signed-in caller must act in the
// tenant.
absl::Status RequireReader(const auth::Principal* caller,
                           const std::string& tenant);

// A service account of the tenant (or a platform admin's) with scope
// share.resolve.
absl::Status RequireResolver(const auth::Principal& caller,
                             const std::string& tenant);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_ACCESS_H_
