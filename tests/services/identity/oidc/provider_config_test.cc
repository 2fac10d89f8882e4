#include "services/identity/oidc/provider_config.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace agora::identity::oidc {
namespace {

using ::testing::HasSubstr;

ProviderConfig Valid() {
  ProviderConfig config;
  config.issuer = "https://sso.bank";
  config.authorization_endpoint = "https://sso.bank/auth";
  config.token_endpoint = "https://sso.bank/token";
  config.jwks_uri = "https://sso.bank/jwks";
  config.client_id = "agora";
  config.scopes = {"email"};
  return config;
}

TEST(ProviderConfigTest, AcceptsAValidConfiguration) {
  EXPECT_TRUE(ValidateProviderConfig(Valid()).ok());
}

TEST(ProviderConfigTest, RefusesPlainHttpEndpoints) {
  ProviderConfig config = Valid();
  config.token_endpoint = "http://sso.bank/token";
  const absl::Status status = ValidateProviderConfig(config);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(status.message(), HasSubstr("token_endpoint"));
  config = Valid();
  config.jwks_uri = "HTTP://sso.bank/jwks";
  EXPECT_THAT(ValidateProviderConfig(config).message(), HasSubstr("jwks_uri"));
}

TEST(ProviderConfigTest, RefusesFragmentsMissingFieldsAndBadScopes) {
  ProviderConfig config = Valid();
  config.authorization_endpoint = "https://sso.bank/auth#x";
  EXPECT_THAT(ValidateProviderConfig(config).message(),
              HasSubstr("authorization_endpoint"));
  config = Valid();
  config.client_id.clear();
  EXPECT_THAT(ValidateProviderConfig(config).message(), HasSubstr("client_id"));
  config = Valid();
  config.scopes = {"two words"};
  EXPECT_THAT(ValidateProviderConfig(config).message(), HasSubstr("scopes"));
}

TEST(ProviderConfigTest, PlainOAuth2NeedsUserinfoNotJwks) {
  ProviderConfig config = Valid();
  config.protocol = Protocol::kOAuth2UserInfo;
  config.jwks_uri.clear();
  config.issuer.clear();
  EXPECT_THAT(ValidateProviderConfig(config).message(),
              HasSubstr("userinfo_endpoint"));
  config.userinfo_endpoint = "https://api.twitter.com/2/users/me";
  EXPECT_TRUE(ValidateProviderConfig(config).ok());
}

TEST(ProviderConfigTest, RequestedScopesAddOpenidOnlyForOpenIdConnect) {
  ProviderConfig config = Valid();
  EXPECT_THAT(RequestedScopes(config),
              ::testing::ElementsAre("openid", "email"));
  config.protocol = Protocol::kOAuth2UserInfo;
  EXPECT_THAT(RequestedScopes(config), ::testing::ElementsAre("email"));
}

}  // namespace
}  // namespace agora::identity::oidc
