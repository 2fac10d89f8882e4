#include "services/identity/oidc/authorization_url.h"

#include <map>
#include <string>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace agora::identity::oidc {
namespace {

ProviderConfig Google() {
  ProviderConfig config;
  config.issuer = "https://accounts.google.com";
  config.authorization_endpoint =
      "https://accounts.google.com/o/oauth2/v2/auth";
  config.token_endpoint = "https://oauth2.googleapis.com/token";
  config.jwks_uri = "https://www.googleapis.com/oauth2/v3/certs";
  config.client_id = "client 1&2";
  config.scopes = {"email", "profile"};
  return config;
}

// The query of `url` as raw (still encoded) name -> value, in order kept by
// the caller's expectations.
std::multimap<std::string, std::string> RawQuery(absl::string_view url) {
  std::multimap<std::string, std::string> fields;
  const size_t start = url.find('?');
  for (absl::string_view pair : absl::StrSplit(url.substr(start + 1), '&')) {
    std::pair<std::string, std::string> field =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    fields.insert(field);
  }
  return fields;
}

TEST(AuthorizationUrlTest, CarriesEveryParameterEncoded) {
  const std::string url = AuthorizationUrl(
      Google(), "https://agora.bank/cb?tenant=fr&x=a b", "st/ate+1", "n=1",
      "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "fr-FR pl");
  EXPECT_EQ(
      url,
      "https://accounts.google.com/o/oauth2/v2/auth?response_type=code"
      "&client_id=client%201%262"
      "&redirect_uri=https%3A%2F%2Fagora.bank%2Fcb%3Ftenant%3Dfr%26x%3Da%20b"
      "&scope=openid%20email%20profile"
      "&state=st%2Fate%2B1"
      "&nonce=n%3D1"
      "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
      "&code_challenge_method=S256"
      "&ui_locales=fr-FR%20pl");
}

TEST(AuthorizationUrlTest, KeepsTheEndpointsQuery) {
  ProviderConfig config = Google();
  config.authorization_endpoint = "https://sso.bank/auth?realm=members";
  const std::string url =
      AuthorizationUrl(config, "https://a/cb", "s", "n", "c", "");
  EXPECT_THAT(url,
              ::testing::StartsWith(
                  "https://sso.bank/auth?realm=members&response_type=code&"));
  config.authorization_endpoint = "https://sso.bank/auth?";
  EXPECT_THAT(
      AuthorizationUrl(config, "https://a/cb", "s", "n", "c", ""),
      ::testing::StartsWith("https://sso.bank/auth?response_type=code&"));
}

TEST(AuthorizationUrlTest,
     OmitsUiLocalesWithoutLanguageAndDoesNotRepeatOpenid) {
  ProviderConfig config = Google();
  config.scopes = {"profile", "openid"};
  const auto query =
      RawQuery(AuthorizationUrl(config, "https://a/cb", "s", "n", "c", ""));
  EXPECT_EQ(query.count("ui_locales"), 0u);
  ASSERT_EQ(query.count("scope"), 1u);
  EXPECT_EQ(query.find("scope")->second, "profile%20openid");
}

TEST(AuthorizationUrlTest, PlainOAuth2HasNoNonceAndNoOpenidScope) {
  ProviderConfig x;
  x.protocol = Protocol::kOAuth2UserInfo;
  x.authorization_endpoint = "https://twitter.com/i/oauth2/authorize";
  x.client_id = "x-client";
  x.scopes = {"users.read", "tweet.read"};
  const auto query =
      RawQuery(AuthorizationUrl(x, "https://a/cb", "s", "n", "c", "it"));
  EXPECT_EQ(query.count("nonce"), 0u);
  EXPECT_EQ(query.find("scope")->second, "users.read%20tweet.read");
  EXPECT_EQ(query.find("code_challenge_method")->second, "S256");
  EXPECT_EQ(query.find("ui_locales")->second, "it");
}

}  // namespace
}  // namespace agora::identity::oidc
