#include "services/share/domain/access.h"

#include "libs/auth/roles.h"
#include "libs/status/error_details.h"

namespace agora::share {
namespace {

absl::Status InTenant(const auth::Principal& caller,
                      const std::string& tenant) {
  absl::Status status = auth::RequireTenant(caller, tenant);
  return status.ok() ? status : status::WithReason(status, "TENANT_MISMATCH");
}

}  // namespace

absl::Status RequireTenantAdmin(const auth::Principal& caller,
                                const std::string& tenant) {
  if (absl::Status in_tenant = InTenant(caller, tenant); !in_tenant.ok()) {
    return in_tenant;
  }
  absl::Status role = auth::RequireRole(
      caller, {auth::kRoleTenantAdmin, auth::kRolePlatformAdmin});
  return role.ok() ? role : status::WithReason(role, "ROLE_REQUIRED");
}

bool IsModeratorOrAdmin(const auth::Principal& caller) {
  return caller.HasRole(auth::kRoleModerator) ||
         caller.HasRole(auth::kRoleTenantAdmin) ||
         caller.HasRole(auth::kRolePlatformAdmin);
}

absl::Status RequireReader(const auth::Principal* caller,
                           const std::string& tenant) {
  if (caller == nullptr) return absl::OkStatus();
  return InTenant(*caller, tenant);
}

absl::Status RequireResolver(const auth::Principal& caller,
                             const std::string& tenant) {
  if (absl::Status in_tenant = InTenant(caller, tenant); !in_tenant.ok()) {
    return in_tenant;
  }
  if (!caller.is_service_account || !caller.HasScope(kResolveScope)) {
    return status::WithReason(
        absl::PermissionDeniedError(
            "resolving short links needs a service account with scope "
            "share.resolve"),
        "SCOPE_REQUIRED");
  }
  return absl::OkStatus();
}

}  // namespace agora::share
