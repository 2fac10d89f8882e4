// The claims checks of OpenID Connect Core 3.1.3.7 on an ID token whose
// signature has been verified.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_ID_TOKEN_CLAIMS_H_
#define AGORA_SERVICES_IDENTITY_OIDC_ID_TOKEN_CLAIMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/identity/oidc/external_user.h"

namespace agora::identity::oidc {

struct IdTokenExpectations {
  std::string issuer;
  std::string client_id;
  std::string nonce;  // the one sent in the authorization URL of this attempt
  absl::Time now;
  absl::Duration leeway = absl::Seconds(60);
};

// The user the claims describe, if: iss == issuer byte for byte; aud (a
// string or an array) contains client_id; azp, when present or when aud has
// several entries, equals client_id; exp + leeway is after now; iat is not
// after now + leeway; nbf, when present, is not after now + leeway; nonce
// equals the expected one; sub is a string of 1-255 bytes. Otherwise
// UNAUTHENTICATED with a fixed message ("id token issuer mismatch", "id token
// audience mismatch", "id token expired", "id token issued in the future",
// "id token not yet valid", "id token nonce mismatch", "id token subject
// invalid", "id token malformed").
absl::StatusOr<ExternalUser> CheckIdTokenClaims(
    absl::string_view payload, const IdTokenExpectations& expected);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_ID_TOKEN_CLAIMS_H_
