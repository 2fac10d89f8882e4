#include "libs/auth/ed25519_key.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "libs/auth/base64url.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::NewKey;

// RFC 8037 appendix A: a key pair, its thumbprint and a signature.
constexpr char kRfc8037X[] = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
constexpr char kRfc8037Thumbprint[] =
    "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k";
constexpr char kRfc8037Message[] =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
constexpr char kRfc8037Signature[] =
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sV"
    "vpAr_MuM0KAg";

// `key` as PKCS#8 PEM, encrypted with a fixed passphrase when `cipher` is set.
std::string Pkcs8Pem(EVP_PKEY* key, const EVP_CIPHER* cipher) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  char passphrase[] = "agora-test";
  EXPECT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher,
                                          cipher ? passphrase : nullptr,
                                          cipher ? 10 : 0, nullptr, nullptr),
            1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

Ed25519PublicKey Rfc8037PublicKey() {
  absl::StatusOr<Ed25519PublicKey> key =
      Ed25519PublicKey::FromRaw(*Base64UrlDecode(kRfc8037X));
  EXPECT_TRUE(key.ok()) << key.status();
  return *std::move(key);
}

TEST(Ed25519KeyTest, ThumbprintMatchesRfc8037) {
  EXPECT_EQ(Rfc8037PublicKey().Thumbprint(), kRfc8037Thumbprint);
}

TEST(Ed25519KeyTest, VerifiesRfc8037Signature) {
  const Ed25519PublicKey key = Rfc8037PublicKey();
  const std::string signature = *Base64UrlDecode(kRfc8037Signature);
  EXPECT_TRUE(key.Verify(kRfc8037Message, signature));

  std::string altered_message = kRfc8037Message;
  altered_message.back() ^= 1;
  EXPECT_FALSE(key.Verify(altered_message, signature));
  std::string altered_signature = signature;
  altered_signature[10] ^= 0x01;
  EXPECT_FALSE(key.Verify(kRfc8037Message, altered_signature));
  EXPECT_FALSE(key.Verify(kRfc8037Message, signature.substr(0, 63)));
  EXPECT_FALSE(key.Verify(kRfc8037Message, ""));
}

TEST(Ed25519KeyTest, SignsAndVerifies) {
  const Ed25519PrivateKey key = NewKey();
  absl::StatusOr<std::string> signature = key.Sign("message");
  ASSERT_TRUE(signature.ok()) << signature.status();
  EXPECT_EQ(signature->size(), kEd25519SignatureBytes);
  EXPECT_TRUE(key.public_key().Verify("message", *signature));
  EXPECT_FALSE(key.public_key().Verify("messagf", *signature));
  // Another key does not verify it.
  EXPECT_FALSE(NewKey().public_key().Verify("message", *signature));
}

TEST(Ed25519KeyTest, GeneratedKeysDiffer) {
  EXPECT_NE(NewKey().public_key().raw(), NewKey().public_key().raw());
}

TEST(Ed25519KeyTest, PemRoundTripKeepsTheKey) {
  const Ed25519PrivateKey key = NewKey();
  absl::StatusOr<std::string> pem = key.ToPem();
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u) << *pem;

  absl::StatusOr<Ed25519PrivateKey> loaded = Ed25519PrivateKey::FromPem(*pem);
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  EXPECT_EQ(loaded->public_key().raw(), key.public_key().raw());
  EXPECT_EQ(loaded->public_key().Thumbprint(), key.public_key().Thumbprint());
  absl::StatusOr<std::string> signature = loaded->Sign("payload");
  ASSERT_TRUE(signature.ok());
  EXPECT_TRUE(key.public_key().Verify("payload", *signature));
  EXPECT_EQ(*loaded->ToPem(), *pem);
}

TEST(Ed25519KeyTest, FromPemRejectsGarbageAndOtherKeyTypes) {
  EXPECT_EQ(Ed25519PrivateKey::FromPem("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PrivateKey::FromPem("not a pem").status().code(),
            absl::StatusCode::kInvalidArgument);
  // Valid PKCS#8, wrong algorithm.
  EvpPkeyPtr ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_NE(ec, nullptr);
  absl::StatusOr<Ed25519PrivateKey> loaded =
      Ed25519PrivateKey::FromPem(Pkcs8Pem(ec.get(), nullptr));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(loaded.status().message(), "private key is not Ed25519");
}

TEST(Ed25519KeyTest, FromPemNeverPromptsForEncryptedKeys) {
  // Without the refusing callback OpenSSL would read a passphrase from the
  // terminal (and hang the test when there is one).
  EvpPkeyPtr ed(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  ASSERT_NE(ed, nullptr);
  const std::string pem = Pkcs8Pem(ed.get(), EVP_aes_256_cbc());
  ASSERT_EQ(pem.rfind("-----BEGIN ENCRYPTED PRIVATE KEY-----", 0), 0u) << pem;
  EXPECT_EQ(Ed25519PrivateKey::FromPem(pem).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Ed25519KeyTest, FromRawRequires32Bytes) {
  EXPECT_EQ(Ed25519PublicKey::FromRaw("").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromRaw(std::string(31, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Ed25519PublicKey::FromRaw(std::string(33, 'a')).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(Ed25519KeyTest, CopiesShareTheKey) {
  const Ed25519PrivateKey key = NewKey();
  const std::string signature = *key.Sign("m");
  Ed25519PublicKey copy = key.public_key();
  Ed25519PublicKey assigned = Rfc8037PublicKey();
  assigned = copy;
  EXPECT_TRUE(copy.Verify("m", signature));
  EXPECT_TRUE(assigned.Verify("m", signature));
  EXPECT_EQ(assigned.raw(), key.public_key().raw());
}

}  // namespace
}  // namespace agora::auth
