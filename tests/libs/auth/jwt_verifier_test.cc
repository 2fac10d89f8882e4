#include "libs/auth/jwt_verifier.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "libs/auth/base64url.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwks_key_source.h"
#include "libs/auth/jwt_format.h"
#include "libs/auth/jwt_signer.h"
#include "tests/libs/auth/test_tokens.h"

namespace agora::auth {
namespace {

using auth_test::CopyKey;
using auth_test::CraftToken;
using auth_test::FakeClock;
using auth_test::FakeKeySource;
using auth_test::kAudience;
using auth_test::KeySetOf;
using auth_test::kIssuer;
using auth_test::MemberClaims;
using auth_test::NewKey;
using auth_test::SignCrafted;
using ::testing::HasSubstr;
using ::testing::Not;
using Json = nlohmann::json;

std::vector<std::string> Segments(absl::string_view token) {
  return absl::StrSplit(token, '.');
}

class JwtVerifierTest : public ::testing::Test {
 protected:
  JwtVerifierTest()
      : clock_(absl::FromUnixSeconds(1700000000)),
        key_(NewKey()),
        signer_(CopyKey(key_)),
        source_(
            std::make_shared<FakeKeySource>(KeySetOf({&key_.public_key()}))),
        verifier_(Options(), source_) {}

  JwtVerifierOptions Options() {
    JwtVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = kAudience;
    options.leeway = absl::Seconds(30);
    options.min_refresh_interval = absl::Seconds(30);
    options.clock = clock_.AsFunction();
    return options;
  }

  absl::Time now() const { return clock_.Now(); }

  std::string Sign(const Claims& claims) {
    absl::StatusOr<std::string> token = signer_.Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // A valid header for tokens crafted with key_.
  std::string Header() const {
    return Json({{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", signer_.key_id()}})
        .dump();
  }
  std::string Payload(const Claims& claims) const {
    return *EncodeClaims(claims);
  }

  // Expects UNAUTHENTICATED with exactly `message`.
  void ExpectRefused(absl::string_view token, absl::string_view message) {
    absl::StatusOr<Claims> claims = verifier_.Verify(token);
    ASSERT_FALSE(claims.ok()) << "accepted a token that should be refused";
    EXPECT_EQ(claims.status().code(), absl::StatusCode::kUnauthenticated);
    EXPECT_EQ(claims.status().message(), message);
  }

  FakeClock clock_;
  Ed25519PrivateKey key_;
  JwtSigner signer_;
  std::shared_ptr<FakeKeySource> source_;
  JwtVerifier verifier_;
};

TEST_F(JwtVerifierTest, RoundTripKeepsEveryClaim) {
  Claims claims = MemberClaims(now());
  claims.roles = {"member", "moderator", "jury"};
  claims.scopes = {"content.read", "ranking.read"};
  claims.trust_level = kTrustLevelRegular;
  claims.extra = {{"locale", "fr-FR"}, {"sid", 12}};

  absl::StatusOr<Claims> verified = verifier_.Verify(Sign(claims));
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->issuer, kIssuer);
  EXPECT_EQ(verified->subject, "member-42");
  EXPECT_EQ(verified->audience, std::vector<std::string>{kAudience});
  EXPECT_EQ(verified->expires_at, now() + absl::Minutes(15));
  EXPECT_EQ(verified->not_before, now());
  EXPECT_EQ(verified->issued_at, now());
  EXPECT_EQ(verified->token_id, "jti-1");
  EXPECT_EQ(verified->tenant, "fr");
  EXPECT_EQ(verified->roles, claims.roles);
  EXPECT_EQ(verified->trust_level, kTrustLevelRegular);
  EXPECT_EQ(verified->scopes, claims.scopes);
  EXPECT_EQ(verified->token_type, "access");
  EXPECT_EQ(verified->extra, claims.extra);
  EXPECT_EQ(source_->refreshes(), 0);
}

TEST_F(JwtVerifierTest, AcceptsAudienceArrayContainingOurs) {
  Claims claims = MemberClaims(now());
  claims.audience = {"gateway", kAudience};
  EXPECT_TRUE(verifier_.Verify(Sign(claims)).ok());
}

TEST_F(JwtVerifierTest, RejectsTamperedPayload) {
  const std::vector<std::string> parts = Segments(Sign(MemberClaims(now())));
  Json payload = Json::parse(*Base64UrlDecode(parts[1]));
  payload["roles"] = {"platform_admin"};
  ExpectRefused(absl::StrCat(parts[0], ".", Base64UrlEncode(payload.dump()),
                             ".", parts[2]),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, RejectsTamperedHeader) {
  const std::vector<std::string> parts = Segments(Sign(MemberClaims(now())));
  Json header = Json::parse(*Base64UrlDecode(parts[0]));
  header["typ"] = "jwt";  // still acceptable in itself, but not signed
  ExpectRefused(absl::StrCat(Base64UrlEncode(header.dump()), ".", parts[1], ".",
                             parts[2]),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, RejectsTamperedSignature) {
  const std::vector<std::string> parts = Segments(Sign(MemberClaims(now())));
  std::string signature = *Base64UrlDecode(parts[2]);
  for (size_t i : {size_t{0}, size_t{31}, size_t{63}}) {
    std::string altered = signature;
    altered[i] ^= 0x01;
    ExpectRefused(
        absl::StrCat(parts[0], ".", parts[1], ".", Base64UrlEncode(altered)),
        "invalid token signature");
  }
  // Truncated, empty, and extended signatures.
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".",
                             Base64UrlEncode(signature.substr(0, 63))),
                "invalid token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], "."),
                "invalid token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".",
                             Base64UrlEncode(signature + "x")),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, RejectsSignatureByAnotherKeyUnderOurKid) {
  // An attacker's own key, claiming our kid.
  const Ed25519PrivateKey attacker = NewKey();
  ExpectRefused(SignCrafted(attacker, Header(), Payload(MemberClaims(now()))),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, RejectsExpiredTokenBeyondLeeway) {
  Claims claims = MemberClaims(now() - absl::Hours(1));
  claims.expires_at = now() - absl::Seconds(30);
  ExpectRefused(Sign(claims), "token expired");
  claims.expires_at = now() - absl::Seconds(29);
  EXPECT_TRUE(verifier_.Verify(Sign(claims)).ok());
}

TEST_F(JwtVerifierTest, TokenExpiresAsTheClockAdvances) {
  const std::string token = Sign(MemberClaims(now()));
  ASSERT_TRUE(verifier_.Verify(token).ok());
  clock_.Advance(absl::Minutes(15) + absl::Seconds(29));
  EXPECT_TRUE(verifier_.Verify(token).ok());
  clock_.Advance(absl::Seconds(1));
  ExpectRefused(token, "token expired");
}

TEST_F(JwtVerifierTest, RejectsNotYetValidTokenBeyondLeeway) {
  Claims claims = MemberClaims(now());
  claims.not_before = now() + absl::Seconds(31);
  ExpectRefused(Sign(claims), "token not yet valid");
  claims.not_before = now() + absl::Seconds(30);
  EXPECT_TRUE(verifier_.Verify(Sign(claims)).ok());
}

TEST_F(JwtVerifierTest, RejectsTokenIssuedInTheFuture) {
  Claims claims = MemberClaims(now());
  claims.not_before.reset();
  claims.issued_at = now() + absl::Minutes(5);
  ExpectRefused(Sign(claims), "token issued in the future");
}

TEST_F(JwtVerifierTest, NbfAndIatAreOptional) {
  Claims claims = MemberClaims(now());
  claims.not_before.reset();
  claims.issued_at.reset();
  EXPECT_TRUE(verifier_.Verify(Sign(claims)).ok());
}

TEST_F(JwtVerifierTest, RejectsWrongAudience) {
  Claims claims = MemberClaims(now());
  claims.audience = {"another-app"};
  ExpectRefused(Sign(claims), "wrong token audience");
  claims.audience = {"another-app", "agora-x"};
  ExpectRefused(Sign(claims), "wrong token audience");
}

TEST_F(JwtVerifierTest, RejectsMissingAudience) {
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload.erase("aud");
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "wrong token audience");
}

TEST_F(JwtVerifierTest, RejectsWrongIssuer) {
  Claims claims = MemberClaims(now());
  claims.issuer = "https://evil.test";
  ExpectRefused(Sign(claims), "wrong token issuer");
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload.erase("iss");
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "wrong token issuer");
}

TEST_F(JwtVerifierTest, RejectsOtherTokenTypes) {
  Claims claims = MemberClaims(now());
  claims.token_type = "refresh";
  ExpectRefused(Sign(claims), "wrong token type");
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload.erase("token_type");
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "wrong token type");
}

TEST_F(JwtVerifierTest, RejectsMissingExpEvenWhenSigned) {
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload.erase("exp");
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "invalid token: claim \"exp\" is required");
}

TEST_F(JwtVerifierTest, RejectsMissingSubject) {
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload.erase("sub");
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "token has no subject");
}

TEST_F(JwtVerifierTest, RejectsSignedGarbagePayload) {
  ExpectRefused(SignCrafted(key_, Header(), "not json"),
                "invalid token: payload is not a JSON object");
  ExpectRefused(SignCrafted(key_, Header(), "[1,2]"),
                "invalid token: payload is not a JSON object");
  Json payload = Json::parse(Payload(MemberClaims(now())));
  payload["roles"] = "platform_admin";  // a string, not an array
  ExpectRefused(SignCrafted(key_, Header(), payload.dump()),
                "invalid token: claim \"roles\" is not an array");
}

TEST_F(JwtVerifierTest, RejectsAlgNone) {
  const std::string payload = Payload(MemberClaims(now()));
  for (const char* alg : {"none", "None", "NONE", "nOnE"}) {
    ExpectRefused(
        CraftToken(Json({{"alg", alg}, {"typ", "JWT"}}).dump(), payload, ""),
        "unsupported token algorithm");
    ExpectRefused(
        CraftToken(Json({{"alg", alg}, {"kid", signer_.key_id()}}).dump(),
                   payload, ""),
        "unsupported token algorithm");
  }
  // Even with a valid EdDSA signature over it, "none" is refused.
  ExpectRefused(
      SignCrafted(key_,
                  Json({{"alg", "none"}, {"kid", signer_.key_id()}}).dump(),
                  payload),
      "unsupported token algorithm");
}

// The classic confusion: a verifier that lets the token pick the algorithm
// would use the (public) key bytes as an HMAC secret.
TEST_F(JwtVerifierTest, RejectsHs256SignedWithThePublicKey) {
  const std::string header =
      Json({{"alg", "HS256"}, {"typ", "JWT"}, {"kid", signer_.key_id()}})
          .dump();
  const std::string input =
      absl::StrCat(Base64UrlEncode(header), ".",
                   Base64UrlEncode(Payload(MemberClaims(now()))));
  for (const std::string& secret :
       {key_.public_key().raw(), Base64UrlEncode(key_.public_key().raw()),
        ToJwks(KeySetOf({&key_.public_key()}))}) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_size = 0;
    ASSERT_NE(HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
                   reinterpret_cast<const unsigned char*>(input.data()),
                   input.size(), mac, &mac_size),
              nullptr);
    ExpectRefused(
        absl::StrCat(input, ".",
                     Base64UrlEncode(absl::string_view(
                         reinterpret_cast<const char*>(mac), mac_size))),
        "unsupported token algorithm");
  }
}

TEST_F(JwtVerifierTest, RejectsEveryOtherAlgorithm) {
  const std::string payload = Payload(MemberClaims(now()));
  for (const Json& alg :
       {Json("RS256"), Json("ES256"), Json("HS512"), Json("eddsa"),
        Json("Ed25519"), Json("EdDSA "), Json(""), Json(nullptr), Json(7),
        Json::array({"EdDSA"})}) {
    ExpectRefused(
        SignCrafted(key_,
                    Json({{"alg", alg}, {"kid", signer_.key_id()}}).dump(),
                    payload),
        "unsupported token algorithm");
  }
  ExpectRefused(
      SignCrafted(key_, Json({{"kid", signer_.key_id()}}).dump(), payload),
      "unsupported token algorithm");
}

TEST_F(JwtVerifierTest, RejectsCritAndForeignTyp) {
  const std::string payload = Payload(MemberClaims(now()));
  ExpectRefused(
      SignCrafted(
          key_,
          Json({{"alg", "EdDSA"}, {"kid", signer_.key_id()}, {"crit", {"exp"}}})
              .dump(),
          payload),
      "unsupported token header");
  ExpectRefused(
      SignCrafted(
          key_,
          Json({{"alg", "EdDSA"}, {"kid", signer_.key_id()}, {"typ", "at+jwt"}})
              .dump(),
          payload),
      "unsupported token header");
  // typ is optional, and compares case-insensitively.
  EXPECT_TRUE(
      verifier_
          .Verify(SignCrafted(
              key_, Json({{"alg", "EdDSA"}, {"kid", signer_.key_id()}}).dump(),
              payload))
          .ok());
  EXPECT_TRUE(verifier_
                  .Verify(SignCrafted(key_,
                                      Json({{"alg", "EdDSA"},
                                            {"kid", signer_.key_id()},
                                            {"typ", "jwt"}})
                                          .dump(),
                                      payload))
                  .ok());
}

TEST_F(JwtVerifierTest, RequiresKid) {
  const std::string payload = Payload(MemberClaims(now()));
  for (const Json& header :
       {Json({{"alg", "EdDSA"}}), Json({{"alg", "EdDSA"}, {"kid", ""}}),
        Json({{"alg", "EdDSA"}, {"kid", 7}}),
        Json({{"alg", "EdDSA"}, {"kid", std::string(200, 'k')}})}) {
    ExpectRefused(SignCrafted(key_, header.dump(), payload),
                  "token has no key id");
  }
  EXPECT_EQ(source_->refreshes(), 0);
}

TEST_F(JwtVerifierTest, RejectsMalformedTokens) {
  const std::vector<std::string> parts = Segments(Sign(MemberClaims(now())));
  for (const std::string& token : {
           std::string(""),
           std::string("garbage"),
           std::string("a.b"),
           std::string("a.b.c.d"),
           std::string(".."),
           absl::StrCat(parts[0], "..", parts[2]),
           absl::StrCat(".", parts[1], ".", parts[2]),
           absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "."),
           absl::StrCat(parts[0], ".", parts[1]),
       }) {
    ExpectRefused(token, "malformed token");
  }
  // Undecodable or non-JSON header.
  for (const std::string& header : {
           std::string("!!!!"),
           parts[0] + "=",
           absl::StrCat(" ", parts[0]),
           Base64UrlEncode("not json"),
           Base64UrlEncode("[\"alg\",\"EdDSA\"]"),
           Base64UrlEncode("{\"alg\":\"EdDSA\""),
       }) {
    ExpectRefused(absl::StrCat(header, ".", parts[1], ".", parts[2]),
                  "malformed token header");
  }
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", "****"),
                "malformed token signature");
  ExpectRefused(absl::StrCat(parts[0], ".", parts[1], ".", parts[2], "="),
                "malformed token signature");
  // The signature covers the encoded payload, so a payload that is not
  // base64url is caught there first.
  ExpectRefused(absl::StrCat(parts[0], ".", "%%%%", ".", parts[2]),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, RejectsDeeplyNestedHeaderWithoutCrashing) {
  const std::string header = std::string(3000, '[') + std::string(3000, ']');
  ExpectRefused(CraftToken(header, "{}", ""), "malformed token header");
}

TEST_F(JwtVerifierTest, RejectsOversizeTokenBeforeParsing) {
  // A valid token, padded through an extra claim to just over 8 KiB, is
  // refused for its size alone; the same claims just under the limit pass.
  Claims claims = MemberClaims(now());
  const size_t base = Sign(claims).size();
  const size_t encoded_room = kMaxTokenBytes - base - 16;
  claims.extra = {{"pad", std::string(encoded_room * 3 / 4, 'a')}};
  const std::string under = Sign(claims);
  ASSERT_LE(under.size(), kMaxTokenBytes);
  EXPECT_TRUE(verifier_.Verify(under).ok());

  const std::string payload =
      Json::parse(Payload(claims)).dump();  // same claims
  Json big = Json::parse(payload);
  big["pad"] = std::string(kMaxTokenBytes, 'a');
  const std::string over = SignCrafted(key_, Header(), big.dump());
  ASSERT_GT(over.size(), kMaxTokenBytes);
  ExpectRefused(over, "token too large");
  ExpectRefused(std::string(kMaxTokenBytes + 1, 'a'), "token too large");
}

TEST_F(JwtVerifierTest, RefusalsNeverEchoTheToken) {
  Claims claims = MemberClaims(now());
  claims.subject = "secret-subject-value";
  claims.issuer = "https://secret-issuer.test";
  const std::string token = Sign(claims);
  const std::vector<std::string> parts = Segments(token);
  for (const std::string& bad :
       {token, std::string(token.size() + kMaxTokenBytes, 'x'),
        absl::StrCat(parts[0], ".", parts[1]), absl::StrCat("x", token)}) {
    absl::StatusOr<Claims> result = verifier_.Verify(bad);
    ASSERT_FALSE(result.ok());
    const std::string message(result.status().message());
    EXPECT_LT(message.size(), 80u) << message;
    for (const std::string& part : parts) {
      EXPECT_THAT(message, Not(HasSubstr(part.substr(0, 12))));
    }
    EXPECT_THAT(message, Not(HasSubstr("secret")));
    EXPECT_THAT(message, Not(HasSubstr(signer_.key_id())));
  }
}

TEST_F(JwtVerifierTest, EmptyConfiguredIssuerOrAudienceAcceptsNothing) {
  Claims claims = MemberClaims(now());
  claims.audience = {"x"};
  JwtVerifierOptions options = Options();
  options.issuer.clear();
  JwtVerifier no_issuer(options, source_);
  const std::string token = Sign(MemberClaims(now()));
  EXPECT_EQ(no_issuer.Verify(token).status().message(), "wrong token issuer");
  options = Options();
  options.audience.clear();
  JwtVerifier no_audience(options, source_);
  EXPECT_EQ(no_audience.Verify(token).status().message(),
            "wrong token audience");
}

TEST_F(JwtVerifierTest, NullKeySourceIsInternal) {
  JwtVerifier verifier(Options(), nullptr);
  EXPECT_EQ(verifier.Verify(Sign(MemberClaims(now()))).status().code(),
            absl::StatusCode::kInternal);
}

TEST_F(JwtVerifierTest, UnknownKidTriggersExactlyOneRefreshThenFails) {
  JwtSigner stranger(NewKey());
  absl::StatusOr<std::string> token = stranger.Sign(MemberClaims(now()));
  ASSERT_TRUE(token.ok());
  ExpectRefused(*token, "unknown signing key");
  EXPECT_EQ(source_->refreshes(), 1);
}

TEST_F(JwtVerifierTest, KeyPublishedAfterRefreshIsAccepted) {
  // Identity rotated to a new key and published it; this service has not
  // seen it yet.
  const Ed25519PrivateKey next = NewKey();
  JwtSigner next_signer(CopyKey(next));
  source_->Publish(KeySetOf({&key_.public_key(), &next.public_key()}));

  const std::string token = *next_signer.Sign(MemberClaims(now()));
  absl::StatusOr<Claims> verified = verifier_.Verify(token);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(source_->refreshes(), 1);
  // Now known: no further refresh.
  EXPECT_TRUE(verifier_.Verify(token).ok());
  EXPECT_TRUE(verifier_.Verify(Sign(MemberClaims(now()))).ok());
  EXPECT_EQ(source_->refreshes(), 1);
}

TEST_F(JwtVerifierTest, RefreshIsRateLimited) {
  const Ed25519PrivateKey next = NewKey();
  JwtSigner next_signer(CopyKey(next));
  const std::string token = *next_signer.Sign(MemberClaims(now()));

  ExpectRefused(token, "unknown signing key");  // refresh #1, key not there
  EXPECT_EQ(source_->refreshes(), 1);
  source_->Publish(KeySetOf({&key_.public_key(), &next.public_key()}));

  clock_.Advance(absl::Seconds(10));
  ExpectRefused(token, "unknown signing key");  // too soon: no refresh
  clock_.Advance(absl::Seconds(19));
  ExpectRefused(token, "unknown signing key");  // 29 s: still too soon
  EXPECT_EQ(source_->refreshes(), 1);

  clock_.Advance(absl::Seconds(1));  // 30 s after the first refresh
  EXPECT_TRUE(verifier_.Verify(token).ok());
  EXPECT_EQ(source_->refreshes(), 2);
}

TEST_F(JwtVerifierTest, FailedRefreshCountsAndKnownKeysKeepWorking) {
  source_->FailRefreshes(absl::UnavailableError("identity down"));
  JwtSigner stranger(NewKey());
  const std::string unknown = *stranger.Sign(MemberClaims(now()));
  ExpectRefused(unknown, "unknown signing key");
  ExpectRefused(unknown, "unknown signing key");
  EXPECT_EQ(source_->refreshes(), 1);
  EXPECT_TRUE(verifier_.Verify(Sign(MemberClaims(now()))).ok());
}

TEST_F(JwtVerifierTest, ConcurrentUnknownKidsShareOneRefresh) {
  const Ed25519PrivateKey next = NewKey();
  JwtSigner next_signer(CopyKey(next));
  source_->Publish(KeySetOf({&key_.public_key(), &next.public_key()}));
  source_->SetRefreshDelay(absl::Milliseconds(50));
  const std::string token = *next_signer.Sign(MemberClaims(now()));

  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (verifier_.Verify(token).ok()) ++accepted;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(accepted.load(), 8);
  EXPECT_EQ(source_->refreshes(), 1);
}

TEST(JwtVerifierJwksTest, FollowsKeyRotationThroughJwks) {
  // The whole path a service uses: JWKS from identity, a JwksKeySource, a
  // verifier; then a rotation.
  FakeClock clock(absl::FromUnixSeconds(1700000000));
  const Ed25519PrivateKey first = NewKey();
  const Ed25519PrivateKey second = NewKey();
  JwtSigner first_signer(CopyKey(first));
  JwtSigner second_signer(CopyKey(second));
  std::string published = ToJwks(KeySetOf({&first.public_key()}));
  int fetches = 0;
  auto source =
      std::make_shared<JwksKeySource>([&]() -> absl::StatusOr<std::string> {
        ++fetches;
        return published;
      });
  JwtVerifierOptions options;
  options.issuer = kIssuer;
  options.audience = kAudience;
  options.clock = clock.AsFunction();
  JwtVerifier verifier(options, source);

  // Empty at start: the first token fetches.
  EXPECT_TRUE(
      verifier.Verify(*first_signer.Sign(MemberClaims(clock.Now()))).ok());
  EXPECT_EQ(fetches, 1);

  published = ToJwks(KeySetOf({&first.public_key(), &second.public_key()}));
  clock.Advance(absl::Minutes(1));
  EXPECT_TRUE(
      verifier.Verify(*second_signer.Sign(MemberClaims(clock.Now()))).ok());
  EXPECT_EQ(fetches, 2);
  EXPECT_TRUE(
      verifier.Verify(*first_signer.Sign(MemberClaims(clock.Now()))).ok());
  EXPECT_EQ(fetches, 2);
}

}  // namespace
}  // namespace agora::auth

namespace agora::auth {
namespace {

// A token verified once is served from the cache, byte for byte: even with
// its key gone from the key set it passes until it expires, while a token
// never seen is checked in full.
TEST_F(JwtVerifierTest, VerifiedTokenIsServedFromTheCacheUntilItExpires) {
  const std::string seen = Sign(MemberClaims(now()));
  const std::string unseen = Sign(MemberClaims(now() + absl::Seconds(1)));
  ASSERT_TRUE(verifier_.Verify(seen).ok());
  source_->Publish(KeySet());
  ASSERT_TRUE(source_->Refresh().ok());
  absl::StatusOr<Claims> cached = verifier_.Verify(seen);
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->subject, MemberClaims(now()).subject);
  ExpectRefused(unseen, "unknown signing key");
  clock_.Advance(absl::Minutes(16));
  ExpectRefused(seen, "unknown signing key");
}

TEST_F(JwtVerifierTest, TamperedCopyOfACachedTokenIsStillRefused) {
  const std::string token = Sign(MemberClaims(now()));
  ASSERT_TRUE(verifier_.Verify(token).ok());
  const std::vector<std::string> parts = Segments(token);
  Json payload = Json::parse(*Base64UrlDecode(parts[1]));
  payload["roles"] = {"platform_admin"};
  ExpectRefused(absl::StrCat(parts[0], ".", Base64UrlEncode(payload.dump()),
                             ".", parts[2]),
                "invalid token signature");
}

TEST_F(JwtVerifierTest, CacheStaysBoundedAndCorrectWhenFull) {
  JwtVerifierOptions options = Options();
  options.cache_size = 2;
  JwtVerifier small(options, source_);
  std::vector<std::string> tokens;
  for (int i = 0; i < 5; ++i) {
    tokens.push_back(Sign(MemberClaims(now() + absl::Seconds(i))));
  }
  for (int round = 0; round < 2; ++round) {
    for (const std::string& token : tokens) {
      EXPECT_TRUE(small.Verify(token).ok());
    }
  }
}

}  // namespace
}  // namespace agora::auth
