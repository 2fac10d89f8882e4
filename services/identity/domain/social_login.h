// Sign-in with Google, Facebook, X and the bank's SSO: the authorization-
// code flow with PKCE (S256), `state` and `nonce` kept server-side for 10
// minutes (login_flows), the ID token verified fully by oidc::ProviderClient.
// Identities are linked by (provider, subject), never by e-mail alone: an
// e-mail that belongs to an existing account is linked only when the
// provider says it is verified AND the member confirms with their password
// (ConfirmAccountLink). Signing in through the bank's SSO marks the member a
// verified customer.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SOCIAL_LOGIN_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SOCIAL_LOGIN_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::StartSocialLoginResponse> StartSocialLogin(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::StartSocialLoginRequest& request);

absl::StatusOr<v1::FinishSocialLoginResponse> FinishSocialLogin(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::FinishSocialLoginRequest& request);

absl::StatusOr<v1::Session> ConfirmAccountLink(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ConfirmAccountLinkRequest& request);

absl::StatusOr<v1::ListExternalIdentitiesResponse> ListExternalIdentities(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListExternalIdentitiesRequest& request);

absl::StatusOr<google::protobuf::Empty> DeleteExternalIdentity(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteExternalIdentityRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SOCIAL_LOGIN_H_
