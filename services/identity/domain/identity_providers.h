// The identity-provider RPCs: tenant admins (and platform admins) configure
// the social and SSO providers members of their tenant sign in with;
// anyone may list the enabled ones to draw sign-in buttons, seeing only
// what a button needs.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_PROVIDERS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_PROVIDERS_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// Every field rule of a provider's configuration; messages name
// `identity_provider.<field>`.
absl::Status ValidateProviderSettings(const v1::IdentityProvider& provider);

// Anonymous callers and callers who are not admins of the tenant get the
// enabled providers' public view; admins get every provider in full.
absl::StatusOr<v1::ListIdentityProvidersResponse> ListIdentityProviders(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ListIdentityProvidersRequest& request);

absl::StatusOr<v1::IdentityProvider> GetIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetIdentityProviderRequest& request);

absl::StatusOr<v1::IdentityProvider> CreateIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateIdentityProviderRequest& request);

absl::StatusOr<v1::IdentityProvider> UpdateIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateIdentityProviderRequest& request);

absl::StatusOr<google::protobuf::Empty> DeleteIdentityProvider(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteIdentityProviderRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_PROVIDERS_H_
