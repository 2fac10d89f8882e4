// Who may do what in identity, on top of auth::RequireTenant/RequireRole:
// platform admins pass every tenant check, tenant roles count only in the
// token's own tenant, and a member acting on themselves is recognised.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_ACCESS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_ACCESS_H_

#include <initializer_list>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"
#include "libs/auth/principal.h"

namespace agora::identity {

bool IsPlatformAdmin(const auth::Principal& caller);

// OK for platform admins, and for callers of `tenant` holding one of
// `roles`; PERMISSION_DENIED otherwise.
absl::Status RequireTenantRole(const auth::Principal& caller,
                               absl::string_view tenant,
                               std::initializer_list<absl::string_view> roles);

// True when the caller is the member `member` of `tenant`.
bool IsSelf(const auth::Principal& caller, absl::string_view tenant,
            absl::string_view member);

// A service account holding `scope` in `tenant` (service tokens act in one
// tenant, see IssueServiceAccountToken).
bool IsServiceWithScope(const auth::Principal& caller, absl::string_view tenant,
                        absl::string_view scope);

// The actor recorded for changes the caller makes.
common::v1::Actor ActorOf(const auth::Principal& caller);

// The role as it travels in tokens ("staff"), nullopt for UNSPECIFIED.
std::optional<std::string> RoleName(common::v1::Role role);
// The enum of a token role name; ROLE_UNSPECIFIED for unknown names.
common::v1::Role RoleFromName(absl::string_view name);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_ACCESS_H_
