// The public keys a verifier trusts, by key id ("kid"). A KeySet is a value:
// key sources build a new one and swap it in whole, so a verifier holding a
// snapshot never sees a half-updated set.
#ifndef AGORA_LIBS_AUTH_KEY_SET_H_
#define AGORA_LIBS_AUTH_KEY_SET_H_

#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "libs/auth/ed25519_key.h"

namespace agora::auth {

// Longest key id accepted anywhere (an RFC 7638 thumbprint is 43 characters).
inline constexpr size_t kMaxKeyIdBytes = 128;

class KeySet {
 public:
  // Ordered by kid, so a JWKS written from the set is deterministic.
  using Keys = std::map<std::string, Ed25519PublicKey, std::less<>>;

  // Adds `key` (a cheap shared copy) under `kid`. INVALID_ARGUMENT for an empty
  // or over-long kid or one already present: two keys under one kid would make
  // verification depend on which one was looked up.
  absl::Status Add(absl::string_view kid, const Ed25519PublicKey& key);

  // Adds `key` under its RFC 7638 thumbprint, the kid JwtSigner uses.
  absl::Status Add(const Ed25519PublicKey& key);

  // The key named `kid`, or nullptr. The pointer lives as long as the set.
  const Ed25519PublicKey* Find(absl::string_view kid) const;

  const Keys& keys() const { return keys_; }
  size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }

 private:
  Keys keys_;
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_KEY_SET_H_
