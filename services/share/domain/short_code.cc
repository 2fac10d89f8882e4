#include "services/share/domain/short_code.h"

#include <openssl/rand.h>

#include "absl/strings/ascii.h"

namespace agora::share {
namespace {

constexpr char kAlphabet[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr unsigned kAlphabetSize = 62;
// Bytes at or above this are drawn again, so that every character is
// equally likely (248 = 4 * 62).
constexpr unsigned kAcceptBelow = 248;

}  // namespace

absl::StatusOr<std::string> NewShortCode() {
  std::string code;
  code.reserve(kShortCodeLength);
  unsigned char bytes[32];
  while (code.size() < static_cast<size_t>(kShortCodeLength)) {
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
      return absl::InternalError("random generator failed");
    }
    for (unsigned char byte : bytes) {
      if (byte >= kAcceptBelow) continue;
      code.push_back(kAlphabet[byte % kAlphabetSize]);
      if (code.size() == static_cast<size_t>(kShortCodeLength)) break;
    }
  }
  return code;
}

bool IsShortCode(absl::string_view code) {
  if (code.size() != static_cast<size_t>(kShortCodeLength)) return false;
  for (char c : code) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace agora::share
