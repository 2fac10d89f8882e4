// Private signing keys rest in PostgreSQL sealed with AES-256-GCM under the
// key-encryption key the service is given (a mounted Kubernetes Secret):
// a database dump alone cannot sign tokens. Sealed form: 12-byte nonce,
// ciphertext, 16-byte tag; the kid is bound as associated data so a sealed
// key cannot be moved under another kid.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_KEY_SEALING_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_KEY_SEALING_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

class KeySealer {
 public:
  // The AES key is SHA-256 of `secret`, which should hold at least 32
  // random bytes (deploy/up generates 48).
  explicit KeySealer(absl::string_view secret);

  absl::StatusOr<std::string> Seal(absl::string_view plaintext,
                                   absl::string_view associated) const;
  // DATA_LOSS when the tag does not verify (wrong key-encryption key, or a
  // tampered row).
  absl::StatusOr<std::string> Open(absl::string_view sealed,
                                   absl::string_view associated) const;

 private:
  std::string key_;  // 32 bytes
};

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_KEY_SEALING_H_
