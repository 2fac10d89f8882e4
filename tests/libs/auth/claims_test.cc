#include "libs/auth/claims.h"

#include <nlohmann/json.hpp>
#include <string>

#include "gtest/gtest.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::MemberClaims;
using Json = nlohmann::json;

const absl::Time kNow = absl::FromUnixSeconds(1700000000);

Json Encoded(const Claims& claims) {
  absl::StatusOr<std::string> text = EncodeClaims(claims);
  EXPECT_TRUE(text.ok()) << text.status();
  return Json::parse(text.value_or("null"));
}

TEST(ClaimsTest, EncodesEveryClaimUnderItsName) {
  Claims claims = MemberClaims(kNow);
  claims.roles = {"member", "moderator"};
  claims.scopes = {"content.read"};
  claims.extra = {{"locale", "fr-FR"}};
  EXPECT_EQ(Encoded(claims), Json::parse(R"({
    "iss": "https://identity.agora.test", "sub": "member-42", "aud": "agora",
    "exp": 1700000900, "nbf": 1700000000, "iat": 1700000000, "jti": "jti-1",
    "tenant": "fr", "roles": ["member", "moderator"], "trust_level": 2,
    "scopes": ["content.read"], "token_type": "access", "locale": "fr-FR"})"));
}

TEST(ClaimsTest, SeveralAudiencesBecomeAnArray) {
  Claims claims = MemberClaims(kNow);
  claims.audience = {"agora", "gateway"};
  EXPECT_EQ(Encoded(claims)["aud"], Json::parse(R"(["agora","gateway"])"));
}

TEST(ClaimsTest, RoundTrip) {
  Claims claims = MemberClaims(kNow);
  claims.audience = {"agora", "gateway"};
  claims.roles = {"staff"};
  claims.scopes = {"content.read", "content.write"};
  claims.trust_level = kTrustLevelLeader;
  claims.extra = {{"nested", {{"a", 1}}}};
  absl::StatusOr<Claims> decoded = DecodeClaims(*EncodeClaims(claims));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->issuer, claims.issuer);
  EXPECT_EQ(decoded->subject, claims.subject);
  EXPECT_EQ(decoded->audience, claims.audience);
  EXPECT_EQ(decoded->expires_at, claims.expires_at);
  EXPECT_EQ(decoded->not_before, claims.not_before);
  EXPECT_EQ(decoded->issued_at, claims.issued_at);
  EXPECT_EQ(decoded->token_id, claims.token_id);
  EXPECT_EQ(decoded->tenant, claims.tenant);
  EXPECT_EQ(decoded->roles, claims.roles);
  EXPECT_EQ(decoded->trust_level, claims.trust_level);
  EXPECT_EQ(decoded->scopes, claims.scopes);
  EXPECT_EQ(decoded->token_type, claims.token_type);
  EXPECT_EQ(decoded->extra, claims.extra);
}

TEST(ClaimsTest, EncodeRejectsMissingRequiredClaims) {
  const Claims valid = MemberClaims(kNow);
  Claims c = valid;
  c.issuer.clear();
  EXPECT_EQ(EncodeClaims(c).status().code(),
            absl::StatusCode::kInvalidArgument);
  c = valid;
  c.subject.clear();
  EXPECT_FALSE(EncodeClaims(c).ok());
  c = valid;
  c.audience.clear();
  EXPECT_FALSE(EncodeClaims(c).ok());
  c = valid;
  c.audience = {"agora", ""};
  EXPECT_FALSE(EncodeClaims(c).ok());
  c = valid;
  c.expires_at = absl::InfinitePast();
  EXPECT_FALSE(EncodeClaims(c).ok());
  c = valid;
  c.expires_at = absl::InfiniteFuture();
  EXPECT_FALSE(EncodeClaims(c).ok());
  c = valid;
  c.token_type.clear();
  EXPECT_FALSE(EncodeClaims(c).ok());
}

TEST(ClaimsTest, EncodeRejectsTrustLevelOutOfRange) {
  Claims claims = MemberClaims(kNow);
  claims.trust_level = 5;
  EXPECT_FALSE(EncodeClaims(claims).ok());
  claims.trust_level = -1;
  EXPECT_FALSE(EncodeClaims(claims).ok());
}

TEST(ClaimsTest, ExtraMayNotOverrideNamedClaims) {
  Claims claims = MemberClaims(kNow);
  claims.extra = {{"roles", {"platform_admin"}}};
  absl::StatusOr<std::string> encoded = EncodeClaims(claims);
  ASSERT_EQ(encoded.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(encoded.status().message(), "claim \"roles\" is reserved");
  claims.extra = Json::array();
  EXPECT_FALSE(EncodeClaims(claims).ok());
}

TEST(ClaimsTest, EncodeRejectsInvalidUtf8) {
  Claims claims = MemberClaims(kNow);
  claims.subject = "\xff\xfe";
  EXPECT_EQ(EncodeClaims(claims).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ClaimsTest, DecodeRequiresExp) {
  absl::StatusOr<Claims> claims = DecodeClaims(R"({"sub":"m"})");
  ASSERT_FALSE(claims.ok());
  EXPECT_EQ(claims.status().message(), "claim \"exp\" is required");
}

TEST(ClaimsTest, DecodeLeavesTokenTypeEmptyWhenAbsent) {
  // Otherwise the struct's default ("access") would stand in for a claim the
  // token never made.
  absl::StatusOr<Claims> claims = DecodeClaims(R"({"exp":1})");
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->token_type, "");
}

TEST(ClaimsTest, DecodeAcceptsFractionalTimesAndDropsTheFraction) {
  absl::StatusOr<Claims> claims = DecodeClaims(R"({"exp":1700000000.9})");
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->expires_at, absl::FromUnixSeconds(1700000000));
}

TEST(ClaimsTest, DecodeRejectsWrongShapes) {
  for (const char* payload : {
           R"([])",
           R"("exp")",
           R"(not json)",
           R"({"exp":"1700000000"})",
           R"({"exp":-1})",
           R"({"exp":1e300})",
           R"({"exp":18446744073709551615})",
           R"({"exp":1,"nbf":"x"})",
           R"({"exp":1,"iat":true})",
           R"({"exp":1,"iss":7})",
           R"({"exp":1,"sub":null})",
           R"({"exp":1,"aud":7})",
           R"({"exp":1,"aud":["a",7]})",
           R"({"exp":1,"roles":"admin"})",
           R"({"exp":1,"roles":[1]})",
           R"({"exp":1,"scopes":{}})",
           R"({"exp":1,"trust_level":5})",
           R"({"exp":1,"trust_level":-1})",
           R"({"exp":1,"trust_level":2.0})",
           R"({"exp":1,"trust_level":"2"})",
           R"({"exp":1,"trust_level":18446744073709551615})",
           R"({"exp":1,"tenant":["fr"]})",
       }) {
    absl::StatusOr<Claims> claims = DecodeClaims(payload);
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kInvalidArgument)
        << payload;
  }
}

TEST(ClaimsTest, DecodeAcceptsAudienceAsStringOrArray) {
  EXPECT_EQ(DecodeClaims(R"({"exp":1,"aud":"a"})")->audience,
            std::vector<std::string>{"a"});
  EXPECT_EQ(DecodeClaims(R"({"exp":1,"aud":["a","b"]})")->audience,
            (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace agora::auth
