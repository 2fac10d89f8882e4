#include "libs/auth/principal.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/auth/roles.h"

namespace agora::auth {
namespace {

bool Contains(const std::vector<std::string>& values, absl::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

}  // namespace

bool Principal::HasRole(absl::string_view role) const {
  return Contains(roles, role);
}

bool Principal::HasScope(absl::string_view scope) const {
  return Contains(scopes, scope);
}

absl::StatusOr<Principal> PrincipalFromClaims(const Claims& claims) {
  if (claims.subject.empty()) {
    return absl::UnauthenticatedError("token has no subject");
  }
  if (claims.tenant.empty()) {
    return absl::UnauthenticatedError("token has no tenant");
  }
  Principal principal;
  principal.subject = claims.subject;
  principal.tenant = claims.tenant;
  principal.roles = claims.roles;
  principal.trust_level = claims.trust_level;
  principal.scopes = claims.scopes;
  principal.is_service_account = principal.HasRole(kRoleService);
  return principal;
}

absl::Status RequireTenant(const Principal& principal,
                           absl::string_view tenant) {
  if (tenant.empty()) {
    return absl::PermissionDeniedError("request names no tenant");
  }
  if (principal.tenant == tenant || principal.HasRole(kRolePlatformAdmin)) {
    return absl::OkStatus();
  }
  return absl::PermissionDeniedError("token is not valid for this tenant");
}

absl::Status RequireRole(const Principal& principal,
                         std::initializer_list<absl::string_view> any_of) {
  for (absl::string_view role : any_of) {
    if (principal.HasRole(role)) return absl::OkStatus();
  }
  return absl::PermissionDeniedError(
      absl::StrCat("requires role ", absl::StrJoin(any_of, " or ")));
}

}  // namespace agora::auth
