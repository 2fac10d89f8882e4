// The JWS compact serialisation Agora tokens use (RFC 7515 section 7.1):
// base64url(header) "." base64url(payload) "." base64url(signature), and the
// limits signer and verifier share.
#ifndef AGORA_LIBS_AUTH_JWT_FORMAT_H_
#define AGORA_LIBS_AUTH_JWT_FORMAT_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::auth {

// Tokens longer than this are refused before any parsing, and never issued:
// they travel in a header on every call.
inline constexpr size_t kMaxTokenBytes = 8 * 1024;

// The one algorithm Agora signs and accepts (RFC 8037: Ed25519).
inline constexpr char kJwtAlgorithm[] = "EdDSA";
inline constexpr char kJwtType[] = "JWT";

// The three encoded segments of a token, viewing into it.
struct JwtSegments {
  absl::string_view header;
  absl::string_view payload;
  absl::string_view signature;
  // header "." payload: the bytes the signature covers.
  absl::string_view signing_input;
};

// Splits `token` into its segments. INVALID_ARGUMENT when it is longer than
// kMaxTokenBytes or does not have exactly three segments, the first two
// non-empty. Segments are not decoded.
absl::StatusOr<JwtSegments> SplitJwt(absl::string_view token);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWT_FORMAT_H_
