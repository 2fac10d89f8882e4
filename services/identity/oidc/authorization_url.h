// The URL that sends a member's browser to the provider to sign in.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_AUTHORIZATION_URL_H_
#define AGORA_SERVICES_IDENTITY_OIDC_AUTHORIZATION_URL_H_

#include <string>

#include "absl/strings/string_view.h"
#include "services/identity/oidc/provider_config.h"

namespace agora::identity::oidc {

// config.authorization_endpoint with, in this order: response_type=code,
// client_id, redirect_uri, scope (RequestedScopes joined by spaces), state,
// nonce (OpenID Connect only), code_challenge, code_challenge_method=S256,
// and ui_locales when `language` is not empty. Every value is percent-encoded
// (PercentEncode); a query the endpoint already has is kept and extended.
//
// `state` ties the callback to this browser (CSRF), `nonce` ties the ID token
// to this attempt (replay), `code_challenge` is Pkce::challenge: the caller
// keeps state, nonce and the verifier with the attempt. Expects a config that
// passed ValidateProviderConfig.
std::string AuthorizationUrl(const ProviderConfig& config,
                             absl::string_view redirect_uri,
                             absl::string_view state, absl::string_view nonce,
                             absl::string_view code_challenge,
                             absl::string_view language);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_AUTHORIZATION_URL_H_
