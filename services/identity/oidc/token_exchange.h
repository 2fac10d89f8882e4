// The authorization-code grant at a provider's token endpoint (RFC 6749 4.1.3
// with RFC 7636's code_verifier).
#ifndef AGORA_SERVICES_IDENTITY_OIDC_TOKEN_EXCHANGE_H_
#define AGORA_SERVICES_IDENTITY_OIDC_TOKEN_EXCHANGE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/identity/oidc/https_client.h"
#include "services/identity/oidc/provider_config.h"

namespace agora::identity::oidc {

struct TokenResponse {
  std::string access_token;
  std::string id_token;  // empty when the provider sent none (plain OAuth 2)
};

// Trades `code` for tokens. The client authenticates with HTTP basic
// (client_secret_basic, the method every provider we use accepts; id and
// secret form-encoded first, as RFC 6749 2.3.1 says); a public client (no
// secret) sends client_id in the body.
//
// Errors: INVALID_ARGUMENT naming `code` (or `code_verifier`,
// `redirect_uri`) when the input is malformed or the provider refuses the
// grant (invalid_grant, invalid_request: a wrong, spent or expired code, a
// verifier that does not match); FAILED_PRECONDITION when it refuses the
// client itself (invalid_client, unauthorized_client...: our configuration);
// UNAVAILABLE when it cannot be reached, times out, answers 5xx, 3xx, an
// unexpected status, non-JSON or no access token.
absl::StatusOr<TokenResponse> ExchangeCode(const HttpsClient& http,
                                           const ProviderConfig& config,
                                           absl::string_view code,
                                           absl::string_view redirect_uri,
                                           absl::string_view code_verifier);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_TOKEN_EXCHANGE_H_
