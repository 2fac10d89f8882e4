#include "services/identity/domain/secret_tokens.h"

#include <openssl/sha.h>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "services/identity/oidc/random_token.h"

namespace agora::identity {

std::string NewSecretToken(size_t bytes) {
  return oidc::RandomUrlSafeToken(bytes);
}

std::string HashSecretToken(absl::string_view token) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

absl::Status ValidateSecretTokenFormat(absl::string_view field,
                                       absl::string_view token, int min,
                                       int max) {
  bool ok = static_cast<int>(token.size()) >= min &&
            static_cast<int>(token.size()) <= max;
  for (char c : token) {
    ok = ok && (absl::ascii_isalnum(c) || c == '-' || c == '_');
  }
  return ok ? absl::OkStatus()
            : absl::InvalidArgumentError(absl::StrCat(
                  field, ": must be ", min, "-", max, " URL-safe characters"));
}

}  // namespace agora::identity
