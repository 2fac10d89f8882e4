// JSON Web Key Sets (RFC 7517) of Ed25519 keys (RFC 8037): what identity
// publishes through GetJwks and /.well-known/jwks.json, and what every
// service reads back to verify tokens.
#ifndef AGORA_LIBS_AUTH_JWKS_H_
#define AGORA_LIBS_AUTH_JWKS_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/key_set.h"

namespace agora::auth {

// Largest JWKS document ParseJwks reads; a few dozen keys take a few KiB.
inline constexpr size_t kMaxJwksBytes = 1 << 20;

// {"keys":[{"kty":"OKP","crv":"Ed25519","kid":...,"x":...,"alg":"EdDSA",
// "use":"sig"},...]}, keys in kid order, no whitespace.
std::string ToJwks(const KeySet& keys);

// The Ed25519 signing keys of a JWKS document. Keys of other types or curves,
// or marked for another use ("use" other than "sig") or algorithm ("alg"
// other than "EdDSA"), are skipped: a set may legitimately mix them. A key
// without "kid" is filed under its thumbprint. INVALID_ARGUMENT when the
// document is not JSON, is larger than kMaxJwksBytes, has no "keys" array, or
// holds an Ed25519 key that is malformed (bad or missing "x", non-string
// members) or whose kid repeats another's.
absl::StatusOr<KeySet> ParseJwks(absl::string_view json);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWKS_H_
