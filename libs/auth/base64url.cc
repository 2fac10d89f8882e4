#include "libs/auth/base64url.h"

#include "absl/status/status.h"
#include "absl/strings/escaping.h"

namespace agora::auth {
namespace {

bool IsBase64UrlCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

std::string Base64UrlEncode(absl::string_view bytes) {
  return absl::WebSafeBase64Escape(bytes);
}

absl::StatusOr<std::string> Base64UrlDecode(absl::string_view text) {
  // Abseil's decoder is lenient (padding, whitespace); the alphabet check and
  // the re-encoding comparison below make it strict.
  for (char c : text) {
    if (!IsBase64UrlCharacter(c)) {
      return absl::InvalidArgumentError("invalid base64url character");
    }
  }
  if (text.size() % 4 == 1) {
    return absl::InvalidArgumentError("invalid base64url length");
  }
  std::string bytes;
  if (!absl::WebSafeBase64Unescape(text, &bytes)) {
    return absl::InvalidArgumentError("invalid base64url");
  }
  if (absl::WebSafeBase64Escape(bytes) != text) {
    return absl::InvalidArgumentError("non-canonical base64url");
  }
  return bytes;
}

}  // namespace agora::auth
