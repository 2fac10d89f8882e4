#include "services/identity/oidc/pkce.h"

#include <set>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/identity/oidc/random_token.h"

namespace agora::identity::oidc {
namespace {

TEST(PkceTest, MatchesRfc7636AppendixB) {
  EXPECT_EQ(PkceChallenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(PkceTest, NewPkceHasAValidVerifierAndItsChallenge) {
  const Pkce pkce = NewPkce();
  EXPECT_EQ(pkce.verifier.size(), 43u);
  EXPECT_TRUE(IsValidPkceVerifier(pkce.verifier));
  EXPECT_EQ(pkce.challenge, PkceChallenge(pkce.verifier));
  EXPECT_NE(NewPkce().verifier, pkce.verifier);
}

TEST(PkceTest, VerifierFormFollowsRfc7636) {
  EXPECT_TRUE(IsValidPkceVerifier(std::string(43, 'a')));
  EXPECT_TRUE(IsValidPkceVerifier(std::string(128, '~')));
  EXPECT_TRUE(
      IsValidPkceVerifier("abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123-._~"));
  EXPECT_FALSE(IsValidPkceVerifier(std::string(42, 'a')));
  EXPECT_FALSE(IsValidPkceVerifier(std::string(129, 'a')));
  EXPECT_FALSE(IsValidPkceVerifier(std::string(42, 'a') + "+"));
  EXPECT_FALSE(IsValidPkceVerifier(std::string(42, 'a') + " "));
}

TEST(RandomUrlSafeTokenTest, IsUnpaddedBase64UrlOfTheRequestedLength) {
  EXPECT_EQ(RandomUrlSafeToken().size(), 43u);    // 32 bytes
  EXPECT_EQ(RandomUrlSafeToken(16).size(), 22u);  // 16 bytes, unpadded
  EXPECT_EQ(RandomUrlSafeToken(3).size(), 4u);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string token = RandomUrlSafeToken();
    EXPECT_THAT(token, ::testing::MatchesRegex("[A-Za-z0-9_-]+"));
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 200u);
}

}  // namespace
}  // namespace agora::identity::oidc
