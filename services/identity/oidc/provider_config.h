// How the identity service talks to one external sign-in provider (Google,
// Facebook, X, the bank's SSO): its endpoints and this service's credentials
// there. Filled from the service's configuration; checked once at start-up.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CONFIG_H_
#define AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CONFIG_H_

#include <string>
#include <vector>

#include "absl/status/status.h"

namespace agora::identity::oidc {

enum class Protocol {
  // OpenID Connect: the identity comes from the signed ID token the token
  // endpoint returns (Google, the bank's SSO).
  kOpenIdConnect,
  // Plain OAuth 2: no ID token; the identity comes from userinfo_endpoint,
  // called with the access token (X's users/me, Facebook's Graph /me).
  kOAuth2UserInfo,
};

struct ProviderConfig {
  Protocol protocol = Protocol::kOpenIdConnect;
  // Compared byte for byte with the ID token's iss (OpenID Connect only).
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  // Required for kOAuth2UserInfo; unused for kOpenIdConnect.
  std::string userinfo_endpoint;
  // Required for kOpenIdConnect.
  std::string jwks_uri;
  std::string client_id;
  // Empty for a public client (then client_id goes in the token request's
  // body instead of HTTP basic authentication).
  std::string client_secret;
  // "openid" is added for kOpenIdConnect when missing (see RequestedScopes).
  std::vector<std::string> scopes;
};

// OK when `config` can be used: every endpoint it needs is an absolute https
// URL without fragment, client_id is set, and issuer is https for OpenID
// Connect. Otherwise INVALID_ARGUMENT naming the field. Call at start-up so a
// bad configuration stops the service instead of failing sign-ins.
absl::Status ValidateProviderConfig(const ProviderConfig& config);

// The scopes to request: config.scopes, with "openid" first for OpenID
// Connect when it is missing (without it the provider issues no ID token).
std::vector<std::string> RequestedScopes(const ProviderConfig& config);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CONFIG_H_
