// Roles per tenant, granted and revoked by tenant admins (platform admin by
// platform admins only), each change recorded (who, when, what, why) and
// announced as a RoleChanged event. The new roles reach tokens at the
// member's next refresh (at most about 15 minutes).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_ROLES_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_ROLES_H_

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::Member> GrantRole(IdentityContext& context,
                                     const auth::Principal& caller,
                                     const v1::GrantRoleRequest& request);

absl::StatusOr<v1::Member> RevokeRole(IdentityContext& context,
                                      const auth::Principal& caller,
                                      const v1::RevokeRoleRequest& request);

absl::StatusOr<v1::ListRoleChangesResponse> ListRoleChanges(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListRoleChangesRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_ROLES_H_
