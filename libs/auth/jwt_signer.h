// Issues Agora tokens: compact JWS with {"alg":"EdDSA","typ":"JWT","kid":...}
// signed by one Ed25519 key. Identity is the only service that signs.
// Thread-safe: Sign is const and the key is read-only.
#ifndef AGORA_LIBS_AUTH_JWT_SIGNER_H_
#define AGORA_LIBS_AUTH_JWT_SIGNER_H_

#include <string>

#include "absl/status/statusor.h"
#include "libs/auth/claims.h"
#include "libs/auth/ed25519_key.h"

namespace agora::auth {

class JwtSigner {
 public:
  // Signs with `key` under its RFC 7638 thumbprint as kid, which is how the
  // key appears in a JWKS built with KeySet::Add(key).
  explicit JwtSigner(Ed25519PrivateKey key);

  // The kid every token of this signer names.
  const std::string& key_id() const { return key_id_; }
  const Ed25519PublicKey& public_key() const { return key_.public_key(); }

  // The signed token. INVALID_ARGUMENT as EncodeClaims says, or when the
  // token would exceed kMaxTokenBytes (verifiers would refuse it); INTERNAL
  // if OpenSSL fails.
  absl::StatusOr<std::string> Sign(const Claims& claims) const;

 private:
  Ed25519PrivateKey key_;
  std::string key_id_;
  std::string encoded_header_;
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWT_SIGNER_H_
