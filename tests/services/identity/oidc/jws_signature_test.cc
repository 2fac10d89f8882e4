// The header checks that run before any key is looked at. Signatures are
// tested end to end with the provider's real keys (provider_client_test).
#include "services/identity/oidc/jws_signature.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace agora::identity::oidc {
namespace {

std::string Token(absl::string_view header_json) {
  return absl::StrCat(absl::WebSafeBase64Escape(header_json), ".",
                      absl::WebSafeBase64Escape(R"({"sub":"u"})"), ".c2ln");
}

std::string MessageOf(absl::string_view token) {
  absl::StatusOr<JwsHeader> header = ReadJwsHeader(token);
  EXPECT_FALSE(header.ok());
  EXPECT_EQ(header.status().code(), absl::StatusCode::kUnauthenticated);
  return std::string(header.status().message());
}

TEST(JwsHeaderTest, ReadsAlgAndKid) {
  absl::StatusOr<JwsHeader> rs =
      ReadJwsHeader(Token(R"({"alg":"RS256","kid":"k1"})"));
  ASSERT_TRUE(rs.ok()) << rs.status();
  EXPECT_EQ(rs->alg, JwsAlgorithm::kRs256);
  EXPECT_EQ(rs->kid, "k1");
  absl::StatusOr<JwsHeader> es =
      ReadJwsHeader(Token(R"({"alg":"ES256","typ":"JWT"})"));
  ASSERT_TRUE(es.ok()) << es.status();
  EXPECT_EQ(es->alg, JwsAlgorithm::kEs256);
  EXPECT_EQ(es->kid, "");
}

TEST(JwsHeaderTest, RefusesEveryOtherAlgorithm) {
  for (const char* alg :
       {"none", "None", "HS256", "HS512", "RS512", "PS256", "ES384", "rs256"}) {
    EXPECT_EQ(
        MessageOf(Token(absl::StrCat(R"({"alg":")", alg, R"(","kid":"k"})"))),
        "id token algorithm not allowed")
        << alg;
  }
}

TEST(JwsHeaderTest, RefusesMalformedTokens) {
  EXPECT_EQ(MessageOf(""), "id token malformed");
  EXPECT_EQ(MessageOf("a.b"), "id token malformed");
  EXPECT_EQ(MessageOf("a.b.c.d"), "id token malformed");
  EXPECT_EQ(MessageOf(Token(R"({"alg":"RS256"})") + "="), "id token malformed");
  EXPECT_EQ(MessageOf(Token("[1,2]")), "id token malformed");
  EXPECT_EQ(MessageOf(Token("not json")), "id token malformed");
  EXPECT_EQ(MessageOf(Token(R"({"alg":"RS256","kid":7})")),
            "id token malformed");
  EXPECT_EQ(MessageOf(Token(R"({"alg":"RS256"})") +
                      std::string(kMaxIdTokenBytes, 'A')),
            "id token malformed");
}

TEST(JwsHeaderTest, RefusesCriticalExtensions) {
  EXPECT_EQ(MessageOf(Token(R"({"alg":"RS256","crit":["exp"],"exp":1})")),
            "id token header not supported");
}

}  // namespace
}  // namespace agora::identity::oidc
