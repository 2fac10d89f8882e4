#include "services/identity/domain/password_hasher.h"

#include <argon2.h>
#include <openssl/rand.h>

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace agora::identity {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

absl::StatusOr<std::string> HashWith(const Argon2Parameters& p,
                                     absl::string_view password) {
  unsigned char salt[kSaltBytes];
  if (RAND_bytes(salt, sizeof salt) != 1) {
    return absl::InternalError("no randomness for a password salt");
  }
  const size_t length = argon2_encodedlen(p.iterations, p.memory_kib, p.lanes,
                                          kSaltBytes, kHashBytes, Argon2_id);
  std::vector<char> encoded(length);
  const int result = argon2id_hash_encoded(
      p.iterations, p.memory_kib, p.lanes, password.data(), password.size(),
      salt, sizeof salt, kHashBytes, encoded.data(), encoded.size());
  if (result != ARGON2_OK) {
    return absl::InternalError(
        absl::StrCat("argon2id: ", argon2_error_message(result)));
  }
  return std::string(encoded.data());
}

}  // namespace

PasswordHasher::PasswordHasher(Argon2Parameters parameters)
    : parameters_(parameters) {
  // A hash of random bytes: verifying anything against it fails, at the
  // same cost as a real verification.
  unsigned char random[24];
  RAND_bytes(random, sizeof random);
  dummy_hash_ =
      HashWith(parameters_, absl::string_view(reinterpret_cast<char*>(random),
                                              sizeof random))
          .value_or("");
}

absl::StatusOr<std::string> PasswordHasher::Hash(
    absl::string_view password) const {
  return HashWith(parameters_, password);
}

bool PasswordHasher::Verify(absl::string_view encoded,
                            absl::string_view password) const {
  if (!absl::StartsWith(encoded, "$argon2id$")) return false;
  const std::string terminated(encoded);
  return argon2id_verify(terminated.c_str(), password.data(),
                         password.size()) == ARGON2_OK;
}

void PasswordHasher::VerifyAgainstDummy(absl::string_view password) const {
  (void)Verify(dummy_hash_, password);
}

bool PasswordHasher::NeedsRehash(absl::string_view encoded) const {
  // "$argon2id$v=19$m=19456,t=2,p=1$..."
  const std::vector<absl::string_view> parts = absl::StrSplit(encoded, '$');
  if (parts.size() != 6 || parts[1] != "argon2id") return true;
  uint32_t memory = 0, iterations = 0, lanes = 0;
  for (absl::string_view setting : absl::StrSplit(parts[3], ',')) {
    const std::pair<absl::string_view, absl::string_view> kv =
        absl::StrSplit(setting, absl::MaxSplits('=', 1));
    uint32_t value = 0;
    if (!absl::SimpleAtoi(kv.second, &value)) return true;
    if (kv.first == "m") memory = value;
    if (kv.first == "t") iterations = value;
    if (kv.first == "p") lanes = value;
  }
  return memory < parameters_.memory_kib ||
         iterations < parameters_.iterations || lanes < parameters_.lanes;
}

}  // namespace agora::identity
