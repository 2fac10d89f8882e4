// Local sign-up: an account with e-mail and password, pending until the
// address is verified with the single-use token an EmailVerificationRequested
// event carries (there is no mail server in Agora: a mail sender consumes the
// event; deploy/up logs the link).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SIGN_UP_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SIGN_UP_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// Errors as the contract says; ALREADY_EXISTS for a taken e-mail says no
// more than Login would.
absl::StatusOr<v1::Member> SignUp(IdentityContext& context,
                                  const auth::Principal* caller,
                                  const CallInfo& call,
                                  const v1::SignUpRequest& request);

absl::StatusOr<v1::Session> VerifyEmail(IdentityContext& context,
                                        const auth::Principal* caller,
                                        const CallInfo& call,
                                        const v1::VerifyEmailRequest& request);

absl::StatusOr<google::protobuf::Empty> ResendVerificationEmail(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ResendVerificationEmailRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SIGN_UP_H_
