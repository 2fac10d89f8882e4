#include "services/identity/oidc/id_token_claims.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"

namespace agora::identity::oidc {
namespace {

const absl::Time kNow = absl::FromUnixSeconds(1'700'000'000);

IdTokenExpectations Expected() {
  IdTokenExpectations expected;
  expected.issuer = "https://sso.bank";
  expected.client_id = "agora";
  expected.nonce = "nonce-1";
  expected.now = kNow;
  return expected;
}

nlohmann::json Claims() {
  const int64_t now = absl::ToUnixSeconds(kNow);
  return {{"iss", "https://sso.bank"},
          {"aud", "agora"},
          {"sub", "user-1"},
          {"iat", now - 10},
          {"exp", now + 300},
          {"nonce", "nonce-1"},
          {"email", "a@bank.fr"},
          {"email_verified", true},
          {"name", "Ada"},
          {"locale", "fr"}};
}

std::string Refusal(const nlohmann::json& claims) {
  absl::StatusOr<ExternalUser> user =
      CheckIdTokenClaims(claims.dump(), Expected());
  EXPECT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnauthenticated);
  return std::string(user.status().message());
}

TEST(IdTokenClaimsTest, ReturnsTheUser) {
  absl::StatusOr<ExternalUser> user =
      CheckIdTokenClaims(Claims().dump(), Expected());
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->subject, "user-1");
  EXPECT_EQ(user->email, "a@bank.fr");
  EXPECT_TRUE(user->email_verified);
  EXPECT_EQ(user->name, "Ada");
  EXPECT_EQ(user->locale, "fr");
}

TEST(IdTokenClaimsTest, EmailVerifiedMayBeAString) {
  nlohmann::json claims = Claims();
  claims["email_verified"] = "true";
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected())->email_verified);
  claims["email_verified"] = "false";
  EXPECT_FALSE(CheckIdTokenClaims(claims.dump(), Expected())->email_verified);
  claims["email_verified"] = "yes";
  EXPECT_FALSE(CheckIdTokenClaims(claims.dump(), Expected())->email_verified);
  claims.erase("email_verified");
  EXPECT_FALSE(CheckIdTokenClaims(claims.dump(), Expected())->email_verified);
}

TEST(IdTokenClaimsTest, IssuerMustMatchExactly) {
  for (const char* iss :
       {"https://sso.bank/", "https://SSO.bank", "https://evil.example"}) {
    nlohmann::json claims = Claims();
    claims["iss"] = iss;
    EXPECT_EQ(Refusal(claims), "id token issuer mismatch") << iss;
  }
  nlohmann::json claims = Claims();
  claims.erase("iss");
  EXPECT_EQ(Refusal(claims), "id token issuer mismatch");
}

TEST(IdTokenClaimsTest, AudienceAndAuthorizedParty) {
  nlohmann::json claims = Claims();
  claims["aud"] = {"other", "agora"};
  EXPECT_EQ(Refusal(claims), "id token audience mismatch");  // no azp
  claims["azp"] = "agora";
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected()).ok());
  claims["azp"] = "other";
  EXPECT_EQ(Refusal(claims), "id token audience mismatch");
  claims = Claims();
  claims["aud"] = {"agora"};
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected()).ok());
  claims["aud"] = "agora2";
  EXPECT_EQ(Refusal(claims), "id token audience mismatch");
  claims["aud"] = {"other"};
  EXPECT_EQ(Refusal(claims), "id token audience mismatch");
}

TEST(IdTokenClaimsTest, TimesWithinTheLeeway) {
  const int64_t now = absl::ToUnixSeconds(kNow);
  nlohmann::json claims = Claims();
  claims["exp"] = now - 59;  // expired, but within the 60 s leeway
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected()).ok());
  claims["exp"] = now - 61;
  EXPECT_EQ(Refusal(claims), "id token expired");
  claims = Claims();
  claims["iat"] = now + 59;
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected()).ok());
  claims["iat"] = now + 61;
  EXPECT_EQ(Refusal(claims), "id token issued in the future");
  claims = Claims();
  claims["nbf"] = now + 3600;
  EXPECT_EQ(Refusal(claims), "id token not yet valid");
  claims = Claims();
  claims["exp"] = "tomorrow";
  EXPECT_EQ(Refusal(claims), "id token malformed");
  claims["exp"] = 1e300;
  EXPECT_EQ(Refusal(claims), "id token malformed");
}

TEST(IdTokenClaimsTest, NonceMustMatch) {
  nlohmann::json claims = Claims();
  claims["nonce"] = "nonce-2";
  EXPECT_EQ(Refusal(claims), "id token nonce mismatch");
  claims.erase("nonce");
  EXPECT_EQ(Refusal(claims), "id token nonce mismatch");
  IdTokenExpectations no_nonce = Expected();
  no_nonce.nonce.clear();
  claims["nonce"] = "";
  EXPECT_FALSE(CheckIdTokenClaims(claims.dump(), no_nonce).ok());
}

TEST(IdTokenClaimsTest, SubjectIsBounded) {
  nlohmann::json claims = Claims();
  claims["sub"] = std::string(255, 's');
  EXPECT_TRUE(CheckIdTokenClaims(claims.dump(), Expected()).ok());
  claims["sub"] = std::string(256, 's');
  EXPECT_EQ(Refusal(claims), "id token subject invalid");
  claims["sub"] = "";
  EXPECT_EQ(Refusal(claims), "id token subject invalid");
  claims["sub"] = 42;
  EXPECT_EQ(Refusal(claims), "id token subject invalid");
}

TEST(IdTokenClaimsTest, OverlongProfileFieldsAreDropped) {
  nlohmann::json claims = Claims();
  claims["email"] = std::string(321, 'e');
  claims["name"] = 7;
  absl::StatusOr<ExternalUser> user =
      CheckIdTokenClaims(claims.dump(), Expected());
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "");
  EXPECT_EQ(user->name, "");
}

TEST(IdTokenClaimsTest, RefusesNonObjects) {
  EXPECT_EQ(CheckIdTokenClaims("[]", Expected()).status().message(),
            "id token malformed");
  EXPECT_EQ(CheckIdTokenClaims("{", Expected()).status().message(),
            "id token malformed");
}

}  // namespace
}  // namespace agora::identity::oidc
