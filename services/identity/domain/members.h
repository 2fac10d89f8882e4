// Members seen and managed by others: the private account view, the
// tenant's member list, suspension and reinstatement.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_MEMBERS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_MEMBERS_H_

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::Member> GetMember(IdentityContext& context,
                                     const auth::Principal& caller,
                                     const v1::GetMemberRequest& request);

absl::StatusOr<v1::ListMembersResponse> ListMembers(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListMembersRequest& request);

absl::StatusOr<v1::Member> SuspendMember(
    IdentityContext& context, const auth::Principal& caller,
    const v1::SuspendMemberRequest& request);

absl::StatusOr<v1::Member> ReinstateMember(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ReinstateMemberRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_MEMBERS_H_
