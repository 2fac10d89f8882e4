// Ed25519 keys on OpenSSL: the private key identity signs tokens with, and
// the public keys every service verifies them with. Each key owns its
// EVP_PKEY; OpenSSL allows one EVP_PKEY to be used for signing or verifying
// from many threads at once, so const methods are thread-safe.
#ifndef AGORA_LIBS_AUTH_ED25519_KEY_H_
#define AGORA_LIBS_AUTH_ED25519_KEY_H_

#include <openssl/evp.h>

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::auth {

inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;

struct EvpPkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// A public key. Copies share the underlying EVP_PKEY (reference counted).
class Ed25519PublicKey {
 public:
  // INVALID_ARGUMENT unless `raw` is exactly 32 bytes OpenSSL accepts.
  static absl::StatusOr<Ed25519PublicKey> FromRaw(absl::string_view raw);

  Ed25519PublicKey(const Ed25519PublicKey& other);
  Ed25519PublicKey& operator=(const Ed25519PublicKey& other);
  Ed25519PublicKey(Ed25519PublicKey&&) noexcept = default;
  Ed25519PublicKey& operator=(Ed25519PublicKey&&) noexcept = default;
  ~Ed25519PublicKey() = default;

  // The 32 raw key bytes (the JWK "x" member, before base64url).
  const std::string& raw() const { return raw_; }

  // The RFC 7638 thumbprint: base64url(SHA-256 of the canonical JWK
  // {"crv":"Ed25519","kty":"OKP","x":...}). Agora uses it as the key id, so
  // the same key has the same kid wherever it is computed.
  std::string Thumbprint() const;

  // True only when `signature` is a valid Ed25519 signature of `message`
  // under this key. Any malformed input is simply false.
  bool Verify(absl::string_view message, absl::string_view signature) const;

 private:
  Ed25519PublicKey(EvpPkeyPtr key, std::string raw);

  EvpPkeyPtr key_;
  std::string raw_;
};

// A private key. Move-only: a secret should exist in as few places as
// possible.
class Ed25519PrivateKey {
 public:
  // A fresh key from OpenSSL's CSPRNG. INTERNAL if OpenSSL fails.
  static absl::StatusOr<Ed25519PrivateKey> Generate();

  // A key from unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  // INVALID_ARGUMENT for anything else, including encrypted PEM (no
  // passphrase prompt is ever shown) and keys of other types.
  static absl::StatusOr<Ed25519PrivateKey> FromPem(absl::string_view pem);

  Ed25519PrivateKey(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey& operator=(Ed25519PrivateKey&&) noexcept = default;
  Ed25519PrivateKey(const Ed25519PrivateKey&) = delete;
  Ed25519PrivateKey& operator=(const Ed25519PrivateKey&) = delete;
  ~Ed25519PrivateKey() = default;

  // Unencrypted PKCS#8 PEM, which FromPem reads back. The result is the
  // secret itself: store it as one (file mode 0600, a Kubernetes Secret).
  absl::StatusOr<std::string> ToPem() const;

  const Ed25519PublicKey& public_key() const { return public_key_; }

  // The 64-byte Ed25519 signature of `message`. INTERNAL if OpenSSL fails.
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

 private:
  Ed25519PrivateKey(EvpPkeyPtr key, Ed25519PublicKey public_key);
  static absl::StatusOr<Ed25519PrivateKey> FromEvpPkey(EvpPkeyPtr key);

  EvpPkeyPtr key_;
  Ed25519PublicKey public_key_;
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_ED25519_KEY_H_
