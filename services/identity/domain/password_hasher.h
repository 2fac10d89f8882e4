// Password hashing with argon2id (libargon2, the reference implementation).
// Hashes are stored in the PHC string format ("$argon2id$v=19$m=19456,t=2,
// p=1$salt$hash"), which carries its parameters: raising the cost later
// leaves old hashes verifiable, and NeedsRehash tells the login path to
// upgrade them.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_HASHER_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_HASHER_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

struct Argon2Parameters {
  // OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
  uint32_t memory_kib = 19 * 1024;
  uint32_t iterations = 2;
  uint32_t lanes = 1;
};

class PasswordHasher {
 public:
  explicit PasswordHasher(Argon2Parameters parameters = {});

  // The encoded argon2id hash of `password` with a fresh 16-byte salt.
  // INTERNAL if libargon2 fails (out of memory).
  absl::StatusOr<std::string> Hash(absl::string_view password) const;

  // True when `password` matches `encoded`. Malformed hashes are false.
  bool Verify(absl::string_view encoded, absl::string_view password) const;

  // Runs a verification of the same cost against a hash no password
  // matches, so that an unknown account costs the caller as much time as a
  // wrong password (no account enumeration by timing).
  void VerifyAgainstDummy(absl::string_view password) const;

  // True when `encoded` was made with weaker parameters than the current
  // ones (or is not argon2id).
  bool NeedsRehash(absl::string_view encoded) const;

  const Argon2Parameters& parameters() const { return parameters_; }

 private:
  Argon2Parameters parameters_;
  std::string dummy_hash_;
};

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_HASHER_H_
