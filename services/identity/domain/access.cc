#include "services/identity/domain/access.h"

#include <array>
#include <utility>

#include "libs/auth/roles.h"
#include "services/identity/domain/resource_names.h"

namespace agora::identity {
namespace {

constexpr std::array<std::pair<common::v1::Role, const char*>, 8> kRoles{{
    {common::v1::ROLE_MEMBER, auth::kRoleMember},
    {common::v1::ROLE_TRUSTED_MEMBER, auth::kRoleTrustedMember},
    {common::v1::ROLE_STAFF, auth::kRoleStaff},
    {common::v1::ROLE_MODERATOR, auth::kRoleModerator},
    {common::v1::ROLE_JURY, auth::kRoleJury},
    {common::v1::ROLE_TENANT_ADMIN, auth::kRoleTenantAdmin},
    {common::v1::ROLE_PLATFORM_ADMIN, auth::kRolePlatformAdmin},
    {common::v1::ROLE_SERVICE, auth::kRoleService},
}};

}  // namespace

bool IsPlatformAdmin(const auth::Principal& caller) {
  return !caller.is_service_account && caller.HasRole(auth::kRolePlatformAdmin);
}

absl::Status RequireTenantRole(const auth::Principal& caller,
                               absl::string_view tenant,
                               std::initializer_list<absl::string_view> roles) {
  if (IsPlatformAdmin(caller)) return absl::OkStatus();
  if (absl::Status s = auth::RequireTenant(caller, tenant); !s.ok()) return s;
  return auth::RequireRole(caller, roles);
}

bool IsSelf(const auth::Principal& caller, absl::string_view tenant,
            absl::string_view member) {
  return !caller.is_service_account && caller.tenant == tenant &&
         caller.subject == member;
}

bool IsServiceWithScope(const auth::Principal& caller, absl::string_view tenant,
                        absl::string_view scope) {
  return caller.is_service_account && caller.tenant == tenant &&
         caller.HasScope(scope);
}

common::v1::Actor ActorOf(const auth::Principal& caller) {
  common::v1::Actor actor;
  if (caller.is_service_account) {
    actor.set_type(common::v1::ACTOR_TYPE_SERVICE_ACCOUNT);
    actor.set_name(caller.subject);
  } else {
    actor.set_type(common::v1::ACTOR_TYPE_MEMBER);
    actor.set_name(MemberResourceName(caller.tenant, caller.subject));
  }
  return actor;
}

std::optional<std::string> RoleName(common::v1::Role role) {
  for (const auto& [value, name] : kRoles) {
    if (value == role) return name;
  }
  return std::nullopt;
}

common::v1::Role RoleFromName(absl::string_view name) {
  for (const auto& [value, role_name] : kRoles) {
    if (name == role_name) return value;
  }
  return common::v1::ROLE_UNSPECIFIED;
}

}  // namespace agora::identity
