#include "services/identity/oidc/pkce.h"

#include <openssl/sha.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "services/identity/oidc/random_token.h"

namespace agora::identity::oidc {

Pkce NewPkce() {
  Pkce pkce;
  pkce.verifier = RandomUrlSafeToken(32);
  pkce.challenge = PkceChallenge(pkce.verifier);
  return pkce;
}

std::string PkceChallenge(absl::string_view verifier) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()),
         verifier.size(), digest);
  std::string challenge;
  absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(digest), sizeof digest),
      &challenge);
  return challenge;
}

bool IsValidPkceVerifier(absl::string_view verifier) {
  return verifier.size() >= 43 && verifier.size() <= 128 &&
         std::all_of(verifier.begin(), verifier.end(), [](char c) {
           return absl::ascii_isalnum(static_cast<unsigned char>(c)) ||
                  c == '-' || c == '.' || c == '_' || c == '~';
         });
}

}  // namespace agora::identity::oidc
