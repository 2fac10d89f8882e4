#include "libs/auth/ed25519_key.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include <climits>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/base64url.h"

namespace agora::auth {
namespace {

struct EvpPkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
struct EvpMdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};

// OpenSSL queues errors per thread; leaving them there would make a later,
// unrelated OpenSSL call on the same thread look as if it had failed.
absl::Status OpenSslError(absl::StatusCode code, absl::string_view what) {
  ERR_clear_error();
  return absl::Status(code, what);
}

// Refuses to prompt on a terminal for the passphrase of encrypted PEM, which
// OpenSSL's default callback would do.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*u*/) {
  return -1;
}

absl::StatusOr<std::string> RawPublicKey(EVP_PKEY* key) {
  std::string raw(kEd25519PublicKeyBytes, '\0');
  size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(
          key, reinterpret_cast<unsigned char*>(raw.data()), &size) != 1 ||
      size != kEd25519PublicKeyBytes) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot read Ed25519 public key");
  }
  return raw;
}

}  // namespace

Ed25519PublicKey::Ed25519PublicKey(EvpPkeyPtr key, std::string raw)
    : key_(std::move(key)), raw_(std::move(raw)) {}

Ed25519PublicKey::Ed25519PublicKey(const Ed25519PublicKey& other)
    : raw_(other.raw_) {
  if (other.key_ != nullptr && EVP_PKEY_up_ref(other.key_.get()) == 1) {
    key_.reset(other.key_.get());
  }
}

Ed25519PublicKey& Ed25519PublicKey::operator=(const Ed25519PublicKey& other) {
  if (this != &other) *this = Ed25519PublicKey(other);
  return *this;
}

absl::StatusOr<Ed25519PublicKey> Ed25519PublicKey::FromRaw(
    absl::string_view raw) {
  if (raw.size() != kEd25519PublicKeyBytes) {
    return absl::InvalidArgumentError("Ed25519 public key must be 32 bytes");
  }
  EvpPkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size()));
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "invalid Ed25519 public key");
  }
  return Ed25519PublicKey(std::move(key), std::string(raw));
}

std::string Ed25519PublicKey::Thumbprint() const {
  // RFC 7638 section 3.2: required members only, lexicographic order, no
  // whitespace. Spelled out because every byte counts.
  const std::string canonical_jwk = absl::StrCat(
      R"({"crv":"Ed25519","kty":"OKP","x":")", Base64UrlEncode(raw_), R"("})");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(canonical_jwk.data()),
         canonical_jwk.size(), digest);
  return Base64UrlEncode(
      absl::string_view(reinterpret_cast<char*>(digest), sizeof(digest)));
}

bool Ed25519PublicKey::Verify(absl::string_view message,
                              absl::string_view signature) const {
  if (key_ == nullptr || signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree> ctx(EVP_MD_CTX_new());
  // Ed25519 is a one-shot scheme: no digest is named, and the whole message
  // goes through EVP_DigestVerify at once.
  const bool valid =
      ctx != nullptr &&
      EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) ==
          1 &&
      EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  if (!valid) ERR_clear_error();
  return valid;
}

Ed25519PrivateKey::Ed25519PrivateKey(EvpPkeyPtr key,
                                     Ed25519PublicKey public_key)
    : key_(std::move(key)), public_key_(std::move(public_key)) {}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromEvpPkey(
    EvpPkeyPtr key) {
  absl::StatusOr<std::string> raw = RawPublicKey(key.get());
  if (!raw.ok()) return raw.status();
  absl::StatusOr<Ed25519PublicKey> public_key = Ed25519PublicKey::FromRaw(*raw);
  if (!public_key.ok()) return public_key.status();
  return Ed25519PrivateKey(std::move(key), *std::move(public_key));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::Generate() {
  std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxFree> ctx(
      EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* generated = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &generated) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot generate Ed25519 key");
  }
  return FromEvpPkey(EvpPkeyPtr(generated));
}

absl::StatusOr<Ed25519PrivateKey> Ed25519PrivateKey::FromPem(
    absl::string_view pem) {
  if (pem.size() > INT_MAX) {
    return absl::InvalidArgumentError("private key PEM too large");
  }
  std::unique_ptr<BIO, BioFree> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (bio == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot read PEM");
  }
  EvpPkeyPtr key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr));
  if (key == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "not an unencrypted PKCS#8 private key PEM");
  }
  if (EVP_PKEY_get_id(key.get()) != EVP_PKEY_ED25519) {
    return absl::InvalidArgumentError("private key is not Ed25519");
  }
  return FromEvpPkey(std::move(key));
}

absl::StatusOr<std::string> Ed25519PrivateKey::ToPem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0,
                               nullptr, nullptr) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot write private key PEM");
  }
  char* data = nullptr;
  const auto size = BIO_get_mem_data(bio.get(), &data);
  if (size <= 0 || data == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal,
                        "cannot write private key PEM");
  }
  return std::string(data, static_cast<size_t>(size));
}

absl::StatusOr<std::string> Ed25519PrivateKey::Sign(
    absl::string_view message) const {
  std::unique_ptr<EVP_MD_CTX, EvpMdCtxFree> ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t size = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      size != kEd25519SignatureBytes) {
    return OpenSslError(absl::StatusCode::kInternal, "cannot sign");
  }
  return signature;
}

}  // namespace agora::auth
