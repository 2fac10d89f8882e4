// The signature layer of an ID token (a compact JWS): which algorithm and key
// it claims, and whether the signature holds. Every failure is UNAUTHENTICATED
// with a short fixed message; the token itself is never echoed.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_JWS_SIGNATURE_H_
#define AGORA_SERVICES_IDENTITY_OIDC_JWS_SIGNATURE_H_

#include <cjose/jwk.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/identity/oidc/signing_keys.h"

namespace agora::identity::oidc {

// ID tokens are a few kilobytes; anything larger is refused unread.
inline constexpr size_t kMaxIdTokenBytes = size_t{16} * 1024;

struct JwsHeader {
  JwsAlgorithm alg = JwsAlgorithm::kRs256;
  std::string kid;  // may be empty
};

// Reads the protected header of a compact JWS (three base64url parts).
// "id token malformed" unless it is one; "id token algorithm not allowed"
// unless alg is RS256 or ES256 (checked before any key or signature is
// touched, so "none" and HS* never reach the verifier); "id token header not
// supported" when it has "crit" parameters, none of which we understand.
absl::StatusOr<JwsHeader> ReadJwsHeader(absl::string_view compact);

// The payload of `compact` if its signature verifies with `key` under
// `header.alg` (read by ReadJwsHeader from the same token), else "id token
// signature invalid".
absl::StatusOr<std::string> VerifiedJwsPayload(absl::string_view compact,
                                               const JwsHeader& header,
                                               const cjose_jwk_t& key);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_JWS_SIGNATURE_H_
