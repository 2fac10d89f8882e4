#include "services/identity/repository/key_sealing.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>

namespace agora::identity {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct CipherContextFree {
  void operator()(EVP_CIPHER_CTX* context) const {
    EVP_CIPHER_CTX_free(context);
  }
};
using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, CipherContextFree>;

const unsigned char* Bytes(absl::string_view text) {
  return reinterpret_cast<const unsigned char*>(text.data());
}

}  // namespace

KeySealer::KeySealer(absl::string_view secret) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(Bytes(secret), secret.size(), digest);
  key_.assign(reinterpret_cast<const char*>(digest), sizeof digest);
}

absl::StatusOr<std::string> KeySealer::Seal(
    absl::string_view plaintext, absl::string_view associated) const {
  std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  if (RAND_bytes(nonce, kNonceBytes) != 1) {
    return absl::InternalError("no randomness for a nonce");
  }
  CipherContext context(EVP_CIPHER_CTX_new());
  int length = 0;
  auto* cipher = nonce + kNonceBytes;
  if (!context ||
      EVP_EncryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_),
                         nonce) != 1 ||
      EVP_EncryptUpdate(context.get(), nullptr, &length, Bytes(associated),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_EncryptUpdate(context.get(), cipher, &length, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(context.get(), cipher + length, &length) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes,
                          cipher + plaintext.size()) != 1) {
    return absl::InternalError("AES-256-GCM sealing failed");
  }
  return out;
}

absl::StatusOr<std::string> KeySealer::Open(
    absl::string_view sealed, absl::string_view associated) const {
  if (sealed.size() < kNonceBytes + kTagBytes) {
    return absl::DataLossError("sealed key too short");
  }
  const size_t cipher_size = sealed.size() - kNonceBytes - kTagBytes;
  std::string plain(cipher_size, '\0');
  std::string tag(sealed.substr(kNonceBytes + cipher_size));
  CipherContext context(EVP_CIPHER_CTX_new());
  int length = 0;
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  if (!context ||
      EVP_DecryptInit_ex(context.get(), EVP_aes_256_gcm(), nullptr, Bytes(key_),
                         Bytes(sealed)) != 1 ||
      EVP_DecryptUpdate(context.get(), nullptr, &length, Bytes(associated),
                        static_cast<int>(associated.size())) != 1 ||
      EVP_DecryptUpdate(context.get(), out, &length,
                        Bytes(sealed.substr(kNonceBytes)),
                        static_cast<int>(cipher_size)) != 1 ||
      EVP_CIPHER_CTX_ctrl(context.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes,
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(context.get(), out + length, &length) != 1) {
    return absl::DataLossError(
        "sealed signing key does not open: wrong key-encryption key?");
  }
  return plain;
}

}  // namespace agora::identity
