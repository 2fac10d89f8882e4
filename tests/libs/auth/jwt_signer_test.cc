#include "libs/auth/jwt_signer.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "libs/auth/base64url.h"
#include "libs/auth/jwt_format.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::MemberClaims;
using auth_test::NewKey;
using Json = nlohmann::json;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

TEST(JwtSignerTest, KidIsTheKeyThumbprint) {
  const Ed25519PrivateKey key = NewKey();
  const std::string thumbprint = key.public_key().Thumbprint();
  JwtSigner signer(auth_test::CopyKey(key));
  EXPECT_EQ(signer.key_id(), thumbprint);
  EXPECT_EQ(signer.public_key().raw(), key.public_key().raw());
}

TEST(JwtSignerTest, ProducesCompactJwsWithEdDsaHeader) {
  JwtSigner signer(NewKey());
  absl::StatusOr<std::string> token = signer.Sign(MemberClaims(kNow));
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_EQ(token->find('='), std::string::npos);
  const std::vector<std::string> segments = absl::StrSplit(*token, '.');
  ASSERT_EQ(segments.size(), 3u);

  EXPECT_EQ(Json::parse(*Base64UrlDecode(segments[0])),
            Json({{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", signer.key_id()}}));
  EXPECT_EQ(Json::parse(*Base64UrlDecode(segments[1]))["sub"], "member-42");

  const std::string signature = *Base64UrlDecode(segments[2]);
  EXPECT_EQ(signature.size(), kEd25519SignatureBytes);
  EXPECT_TRUE(signer.public_key().Verify(
      absl::StrCat(segments[0], ".", segments[1]), signature));
}

TEST(JwtSignerTest, RejectsInvalidClaims) {
  JwtSigner signer(NewKey());
  Claims claims = MemberClaims(kNow);
  claims.trust_level = 7;
  EXPECT_EQ(signer.Sign(claims).status().code(),
            absl::StatusCode::kInvalidArgument);
  claims = MemberClaims(kNow);
  claims.expires_at = absl::InfinitePast();
  EXPECT_EQ(signer.Sign(claims).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(JwtSignerTest, RefusesToIssueOversizeTokens) {
  JwtSigner signer(NewKey());
  Claims claims = MemberClaims(kNow);
  claims.extra = {{"pad", std::string(kMaxTokenBytes, 'a')}};
  absl::StatusOr<std::string> token = signer.Sign(claims);
  EXPECT_EQ(token.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agora::auth
