#include "libs/api/caller.h"

#include "absl/strings/str_cat.h"
#include "libs/auth/roles.h"

namespace agora::api {

std::string PrincipalName(const auth::Principal& principal) {
  return absl::StrCat(
      "tenants/", principal.tenant,
      principal.is_service_account ? "/serviceAccounts/" : "/members/",
      principal.subject);
}

agora::common::v1::Actor ActorFor(const auth::Principal& principal) {
  agora::common::v1::Actor actor;
  actor.set_type(principal.is_service_account
                     ? agora::common::v1::ACTOR_TYPE_SERVICE_ACCOUNT
                     : agora::common::v1::ACTOR_TYPE_MEMBER);
  actor.set_name(PrincipalName(principal));
  return actor;
}

absl::Status RequireTenantRole(const auth::Principal& principal,
                               absl::string_view tenant,
                               std::initializer_list<absl::string_view> roles) {
  if (absl::Status status = auth::RequireTenant(principal, tenant);
      !status.ok()) {
    return status;
  }
  if (principal.HasRole(auth::kRolePlatformAdmin)) return absl::OkStatus();
  return auth::RequireRole(principal, roles);
}

absl::Status RequireScope(const auth::Principal& principal,
                          absl::string_view tenant, absl::string_view scope) {
  if (absl::Status status = auth::RequireTenant(principal, tenant);
      !status.ok()) {
    return status;
  }
  if (principal.is_service_account && principal.HasScope(scope)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("requires a service account with scope ", scope));
}

}  // namespace agora::api
