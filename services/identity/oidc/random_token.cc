#include "services/identity/oidc/random_token.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/string_view.h"
#include "libs/logging/log.h"

namespace agora::identity::oidc {

std::string RandomUrlSafeToken(size_t bytes) {
  bytes = std::clamp<size_t>(bytes, 1, 1024);
  std::vector<unsigned char> random(bytes);
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    logging::Error("RAND_bytes failed: no randomness for sign-in tokens");
    std::abort();
  }
  std::string token;
  // Web-safe alphabet ('-', '_'), no padding: what RFC 7636 asks of a verifier.
  absl::WebSafeBase64Escape(
      absl::string_view(reinterpret_cast<const char*>(random.data()),
                        random.size()),
      &token);
  return token;
}

}  // namespace agora::identity::oidc
