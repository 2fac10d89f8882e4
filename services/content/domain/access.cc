#include "services/content/domain/access.h"

#include "libs/api/caller.h"
#include "libs/auth/roles.h"

namespace agora::content {

bool ActsIn(const auth::Principal* caller, absl::string_view tenant) {
  return caller != nullptr && auth::RequireTenant(*caller, tenant).ok();
}

bool IsTenantAdmin(const auth::Principal* caller, absl::string_view tenant) {
  return caller != nullptr &&
         api::RequireTenantRole(*caller, tenant, {auth::kRoleTenantAdmin}).ok();
}

bool IsModerator(const auth::Principal* caller, absl::string_view tenant) {
  return caller != nullptr &&
         api::RequireTenantRole(*caller, tenant,
                                {auth::kRoleModerator, auth::kRoleTenantAdmin})
             .ok();
}

bool IsStaff(const auth::Principal* caller, absl::string_view tenant) {
  return caller != nullptr &&
         api::RequireTenantRole(*caller, tenant,
                                {auth::kRoleStaff, auth::kRoleTenantAdmin})
             .ok();
}

std::string MemberIdIn(const auth::Principal* caller,
                       absl::string_view tenant) {
  if (caller == nullptr || caller->is_service_account ||
      caller->tenant != tenant) {
    return "";
  }
  return caller->subject;
}

}  // namespace agora::content
