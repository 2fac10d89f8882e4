// The OpenID Connect / OAuth 2 client of the identity service: the second half
// of a sign-in with Google, Facebook, X or the bank's SSO (authorization-code
// flow with PKCE S256, state and nonce).
//
// A sign-in, as the identity service runs it:
//   1. Start: state = RandomUrlSafeToken(), nonce = RandomUrlSafeToken(),
//      pkce = NewPkce(); keep state, nonce and pkce.verifier with the attempt;
//      send the browser to AuthorizationUrl(config, redirect_uri, state,
//      nonce, pkce.challenge, language).
//   2. Callback: check the returned state against the kept one (this library
//      does not see it), then FinishLogin(config, code, redirect_uri,
//      pkce.verifier, nonce) and link the returned ExternalUser.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CLIENT_H_
#define AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CLIENT_H_

#include <functional>
#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/identity/oidc/authorization_url.h"
#include "services/identity/oidc/client_options.h"
#include "services/identity/oidc/external_user.h"
#include "services/identity/oidc/pkce.h"
#include "services/identity/oidc/provider_config.h"
#include "services/identity/oidc/random_token.h"

namespace agora::identity::oidc {

class HttpsClient;
class JwksCache;

// Thread-safe; make one per process and share it: it caches each jwks_uri's
// keys (see VerifierOptions for when they are fetched again).
class ProviderClient {
 public:
  // `clock` (default absl::Now) decides token expiry and key-cache ages;
  // tests pass a fake one.
  explicit ProviderClient(HttpOptions options,
                          std::function<absl::Time()> clock = {},
                          VerifierOptions verifier = {});
  ~ProviderClient();
  ProviderClient(const ProviderClient&) = delete;
  ProviderClient& operator=(const ProviderClient&) = delete;

  // Exchanges `code` at config.token_endpoint (HTTP basic client
  // authentication, code_verifier, redirect_uri: the one the authorization URL
  // carried), then:
  //  - OpenID Connect: verifies the ID token fully: alg RS256 or ES256 only
  //    (checked before anything else), signature with the JWKS key its kid
  //    names (the JWKS fetched again, once, for an unknown kid), iss ==
  //    config.issuer exactly, aud contains client_id (azp == client_id when
  //    present or when aud has several entries), exp in the future and iat
  //    not, both within the leeway, nonce == expected_nonce, sub of 1-255
  //    bytes; the user comes from its claims. email_verified may be a bool or
  //    the string "true"/"false".
  //  - Plain OAuth 2 (X): GETs config.userinfo_endpoint with the access
  //    token; the subject is "sub", X's {"data":{"id":...}} or Facebook's
  //    top-level "id". `expected_nonce` is unused.
  //
  // Errors, fit to return to gRPC callers as they are:
  //  - INVALID_ARGUMENT naming `code` when the provider refuses the grant
  //    (wrong, spent or expired code, a verifier that does not match), or
  //    naming the malformed argument (code_verifier, redirect_uri,
  //    expected_nonce);
  //  - UNAUTHENTICATED with a short fixed message for every ID-token failure
  //    ("id token signature invalid", "id token expired", "id token audience
  //    mismatch", "id token nonce mismatch", "id token issuer mismatch", "id
  //    token algorithm not allowed", "unknown signing key", "id token
  //    missing", ...; see jws_signature.h and id_token_claims.h), and when
  //    the userinfo endpoint refuses the access token or names no subject.
  //    Tokens are never part of a message;
  //  - UNAVAILABLE when the provider cannot be reached, its certificate is not
  //    trusted, it times out, or answers 5xx, a redirect, non-JSON or more
  //    than max_response_bytes;
  //  - FAILED_PRECONDITION when `config` fails ValidateProviderConfig (an
  //    http:// endpoint...) or the provider refuses our client credentials.
  absl::StatusOr<ExternalUser> FinishLogin(
      const ProviderConfig& config, absl::string_view code,
      absl::string_view redirect_uri, absl::string_view code_verifier,
      absl::string_view expected_nonce) const;

 private:
  absl::StatusOr<ExternalUser> UserFromIdToken(
      const ProviderConfig& config, absl::string_view id_token,
      absl::string_view expected_nonce) const;
  absl::StatusOr<ExternalUser> UserFromUserInfo(
      const ProviderConfig& config, absl::string_view access_token) const;

  const std::function<absl::Time()> clock_;
  const VerifierOptions verifier_;
  const std::unique_ptr<HttpsClient> http_;
  const std::unique_ptr<JwksCache> jwks_;
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_PROVIDER_CLIENT_H_
