// Who is calling, as a verified access token says, and the checks every RPC
// makes on it. Handlers call RequireTenant and RequireRole themselves: the
// gateway having checked is never enough.
#ifndef AGORA_LIBS_AUTH_PRINCIPAL_H_
#define AGORA_LIBS_AUTH_PRINCIPAL_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/claims.h"

namespace agora::auth {

struct Principal {
  // Member id, or service account id when is_service_account.
  std::string subject;
  std::string tenant;
  std::vector<std::string> roles;    // see roles.h
  int trust_level = kTrustLevelNew;  // 0-4
  std::vector<std::string> scopes;   // e.g. "content.read"
  // A bank system, not a person: the token carries role "service".
  bool is_service_account = false;

  bool HasRole(absl::string_view role) const;
  bool HasScope(absl::string_view scope) const;
};

// The principal of verified access-token claims. UNAUTHENTICATED when the
// token names no subject or tenant: every Agora token acts in a tenant.
absl::StatusOr<Principal> PrincipalFromClaims(const Claims& claims);

// OK when `principal` may act in `tenant`: its own tenant, or any tenant for
// a platform admin. PERMISSION_DENIED otherwise, and for an empty `tenant`
// (a request that names no tenant is refused, not let through).
absl::Status RequireTenant(const Principal& principal,
                           absl::string_view tenant);

// OK when `principal` has at least one of the roles in `any_of`;
// PERMISSION_DENIED otherwise, including for an empty list. No role implies
// another: list platform_admin or tenant_admin where they should pass.
absl::Status RequireRole(const Principal& principal,
                         std::initializer_list<absl::string_view> any_of);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_PRINCIPAL_H_
