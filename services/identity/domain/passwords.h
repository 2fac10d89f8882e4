// Password reset by e-mail and password change by the signed-in member.
// Both end every other session of the member: whoever knew the old
// password is signed out.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORDS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORDS_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// Answers the same whether or not the e-mail has an account.
absl::StatusOr<google::protobuf::Empty> RequestPasswordReset(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::RequestPasswordResetRequest& request);

absl::StatusOr<google::protobuf::Empty> ConfirmPasswordReset(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ConfirmPasswordResetRequest& request);

absl::StatusOr<google::protobuf::Empty> ChangePassword(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ChangePasswordRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORDS_H_
