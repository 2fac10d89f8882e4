// base64url without padding (RFC 4648 section 5), the encoding of every JWT
// segment and JWK member. Decoding is strict: one token has exactly one
// spelling, so a changed character can never decode to the same bytes.
#ifndef AGORA_LIBS_AUTH_BASE64URL_H_
#define AGORA_LIBS_AUTH_BASE64URL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::auth {

// `bytes` in base64url, without '=' padding.
std::string Base64UrlEncode(absl::string_view bytes);

// The bytes `text` encodes. INVALID_ARGUMENT for padding, characters outside
// the base64url alphabet (including '+', '/' and whitespace), an impossible
// length, or a non-canonical last character (unused bits not zero). The
// message never repeats `text`.
absl::StatusOr<std::string> Base64UrlDecode(absl::string_view text);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_BASE64URL_H_
