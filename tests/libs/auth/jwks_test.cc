#include "libs/auth/jwks.h"

#include <nlohmann/json.hpp>
#include <string>

#include "gtest/gtest.h"
#include "libs/auth/base64url.h"
#include "libs/auth/key_set.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::KeySetOf;
using auth_test::NewKey;
using Json = nlohmann::json;

TEST(KeySetTest, FindsKeysByKid) {
  const Ed25519PrivateKey a = NewKey();
  const Ed25519PrivateKey b = NewKey();
  const KeySet keys = KeySetOf({&a.public_key(), &b.public_key()});
  ASSERT_EQ(keys.size(), 2u);
  ASSERT_NE(keys.Find(a.public_key().Thumbprint()), nullptr);
  EXPECT_EQ(keys.Find(a.public_key().Thumbprint())->raw(),
            a.public_key().raw());
  EXPECT_EQ(keys.Find(b.public_key().Thumbprint())->raw(),
            b.public_key().raw());
  EXPECT_EQ(keys.Find("nope"), nullptr);
  EXPECT_EQ(keys.Find(""), nullptr);
}

TEST(KeySetTest, RejectsDuplicateAndInvalidKids) {
  const Ed25519PrivateKey a = NewKey();
  KeySet keys;
  ASSERT_TRUE(keys.Add("k1", a.public_key()).ok());
  EXPECT_EQ(keys.Add("k1", NewKey().public_key()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(keys.Add("", a.public_key()).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      keys.Add(std::string(kMaxKeyIdBytes + 1, 'k'), a.public_key()).code(),
      absl::StatusCode::kInvalidArgument);
  // The first key under "k1" is still the one found.
  EXPECT_EQ(keys.Find("k1")->raw(), a.public_key().raw());
}

TEST(JwksTest, WritesOkpEd25519Keys) {
  const Ed25519PrivateKey a = NewKey();
  const Json jwks = Json::parse(ToJwks(KeySetOf({&a.public_key()})));
  EXPECT_EQ(jwks, Json({{"keys",
                         {{{"kty", "OKP"},
                           {"crv", "Ed25519"},
                           {"kid", a.public_key().Thumbprint()},
                           {"x", Base64UrlEncode(a.public_key().raw())},
                           {"alg", "EdDSA"},
                           {"use", "sig"}}}}}));
}

TEST(JwksTest, RoundTrip) {
  const Ed25519PrivateKey a = NewKey();
  const Ed25519PrivateKey b = NewKey();
  KeySet keys = KeySetOf({&a.public_key()});
  ASSERT_TRUE(keys.Add("rotated-2024", b.public_key()).ok());

  absl::StatusOr<KeySet> parsed = ParseJwks(ToJwks(keys));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->size(), 2u);
  ASSERT_NE(parsed->Find(a.public_key().Thumbprint()), nullptr);
  EXPECT_EQ(parsed->Find(a.public_key().Thumbprint())->raw(),
            a.public_key().raw());
  ASSERT_NE(parsed->Find("rotated-2024"), nullptr);
  EXPECT_EQ(parsed->Find("rotated-2024")->raw(), b.public_key().raw());
  // A parsed key verifies what the private key signed.
  EXPECT_TRUE(parsed->Find("rotated-2024")->Verify("m", *b.Sign("m")));
}

TEST(JwksTest, EmptySetRoundTrips) {
  EXPECT_EQ(ToJwks(KeySet()), R"({"keys":[]})");
  absl::StatusOr<KeySet> parsed = ParseJwks(R"({"keys":[]})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->empty());
}

TEST(JwksTest, SkipsKeysOfOtherTypesAndUses) {
  const Ed25519PrivateKey a = NewKey();
  const std::string x = Base64UrlEncode(a.public_key().raw());
  const Json jwks = {
      {"keys",
       {
           {{"kty", "RSA"}, {"kid", "rsa"}, {"n", "AQAB"}, {"e", "AQAB"}},
           {{"kty", "EC"}, {"crv", "P-256"}, {"kid", "ec"}, {"x", "AA"}},
           {{"kty", "OKP"}, {"crv", "X25519"}, {"kid", "x25519"}, {"x", x}},
           {{"kty", "OKP"},
            {"crv", "Ed25519"},
            {"kid", "enc"},
            {"x", x},
            {"use", "enc"}},
           {{"kty", "OKP"},
            {"crv", "Ed25519"},
            {"kid", "other-alg"},
            {"x", x},
            {"alg", "ES256"}},
           {{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", "good"}, {"x", x}},
       }}};
  absl::StatusOr<KeySet> parsed = ParseJwks(jwks.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->size(), 1u);
  EXPECT_NE(parsed->Find("good"), nullptr);
}

TEST(JwksTest, KeyWithoutKidIsFiledUnderItsThumbprint) {
  const Ed25519PrivateKey a = NewKey();
  const Json jwks = {{"keys",
                      {{{"kty", "OKP"},
                        {"crv", "Ed25519"},
                        {"x", Base64UrlEncode(a.public_key().raw())}}}}};
  absl::StatusOr<KeySet> parsed = ParseJwks(jwks.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_NE(parsed->Find(a.public_key().Thumbprint()), nullptr);
}

TEST(JwksTest, RejectsMalformedDocuments) {
  const std::string x = Base64UrlEncode(NewKey().public_key().raw());
  const std::string padded = Base64UrlEncode(std::string(32, 'a')) + "=";
  for (const std::string& document : {
           std::string(""),
           std::string("not json"),
           std::string("[]"),
           std::string(R"({})"),
           std::string(R"({"keys":{}})"),
           std::string(R"({"keys":["k"]})"),
           std::string(R"({"keys":[{"kty":7}]})"),
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519"}]})"),
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":""}]})"),
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":"!!"}]})"),
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":")") +
               padded + R"("}]})",
           // 31 bytes.
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":")") +
               Base64UrlEncode(std::string(31, 'a')) + R"("}]})",
           std::string(R"({"keys":[{"kty":"OKP","crv":"Ed25519","x":7}]})"),
           std::string(
               R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":7,"x":")") +
               x + R"("}]})",
           // The same kid twice.
           std::string(
               R"({"keys":[{"kty":"OKP","crv":"Ed25519","kid":"k","x":")") +
               x + R"("},{"kty":"OKP","crv":"Ed25519","kid":"k","x":")" + x +
               R"("}]})",
       }) {
    absl::StatusOr<KeySet> parsed = ParseJwks(document);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument)
        << document;
  }
}

TEST(JwksTest, RejectsOversizeDocument) {
  const std::string document =
      R"({"keys":[],"pad":")" + std::string(kMaxJwksBytes, 'a') + R"("})";
  EXPECT_EQ(ParseJwks(document).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agora::auth
