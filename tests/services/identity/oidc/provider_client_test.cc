// ProviderClient against the local OpenID provider (tests/harness/
// oidc_provider) over real HTTPS: the whole sign-in, every forged token, key
// caching and rotation, and the provider misbehaving.
#include "services/identity/oidc/provider_client.h"

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/identity/oidc/https_client.h"
#include "tests/harness/oidc_test_provider.h"

namespace agora::identity::oidc {
namespace {

using ::agora::testing::OidcTestProvider;
using ::testing::HasSubstr;
using ::testing::Not;

// Real time plus an offset the test moves forward: tokens the provider signs
// now stay valid while key-cache intervals elapse.
class SteppedClock {
 public:
  absl::Time Now() const {
    absl::MutexLock lock(&mu_);
    return absl::Now() + offset_;
  }
  void Advance(absl::Duration step) {
    absl::MutexLock lock(&mu_);
    offset_ += step;
  }

 private:
  mutable absl::Mutex mu_;
  absl::Duration offset_ ABSL_GUARDED_BY(mu_);
};

// What the identity service keeps between the start of a sign-in and its
// callback.
struct Attempt {
  std::string state = RandomUrlSafeToken();
  std::string nonce = RandomUrlSafeToken();
  Pkce pkce = NewPkce();
};

class ProviderClientTest : public ::testing::Test {
 protected:
  void StartProvider(OidcTestProvider::Options options = {}) {
    absl::StatusOr<std::unique_ptr<OidcTestProvider>> provider =
        OidcTestProvider::Start(std::move(options));
    ASSERT_TRUE(provider.ok()) << provider.status();
    provider_ = std::move(*provider);
    config_ = provider_->Config();
    MakeClient(HttpOptions{.ca_file = provider_->ca_file()});
  }

  void MakeClient(HttpOptions options, VerifierOptions verifier = {}) {
    client_ = std::make_unique<ProviderClient>(
        std::move(options), [this] { return clock_.Now(); }, verifier);
  }

  std::string RedirectUri() const {
    return provider_->options().redirect_uris.front();
  }

  // Plays the browser: the authorization URL, the provider's redirect back,
  // and the state check the identity service does on the callback.
  std::string AuthorizeCode(const Attempt& attempt) {
    const std::string url =
        AuthorizationUrl(config_, RedirectUri(), attempt.state, attempt.nonce,
                         attempt.pkce.challenge, "fr");
    absl::StatusOr<OidcTestProvider::Callback> callback =
        provider_->Authorize(url);
    EXPECT_TRUE(callback.ok()) << callback.status();
    if (!callback.ok()) return "";
    EXPECT_EQ(callback->error, "");
    EXPECT_EQ(callback->state, attempt.state);
    // The redirect URI's own query is kept; code and state are added to it.
    const char* separator =
        RedirectUri().find('?') == std::string::npos ? "?" : "&";
    EXPECT_THAT(callback->location, ::testing::StartsWith(absl::StrCat(
                                        RedirectUri(), separator, "code=")));
    return callback->code;
  }

  absl::StatusOr<ExternalUser> Login() {
    const Attempt attempt;
    const std::string code = AuthorizeCode(attempt);
    return client_->FinishLogin(config_, code, RedirectUri(),
                                attempt.pkce.verifier, attempt.nonce);
  }

  OidcTestProvider::Stats Stats() {
    absl::StatusOr<OidcTestProvider::Stats> stats = provider_->GetStats();
    EXPECT_TRUE(stats.ok()) << stats.status();
    return stats.value_or(OidcTestProvider::Stats{-1, -1});
  }

  SteppedClock clock_;
  std::unique_ptr<OidcTestProvider> provider_;
  ProviderConfig config_;
  std::unique_ptr<ProviderClient> client_;
};

TEST_F(ProviderClientTest, FullSignInReturnsTheProvidersUser) {
  StartProvider();
  ASSERT_TRUE(provider_
                  ->SetNextUser(R"({"sub":"google-123","email":"ada@bank.fr",
                                    "email_verified":true,"name":"Ada L."})")
                  .ok());
  absl::StatusOr<ExternalUser> user = Login();
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->subject, "google-123");
  EXPECT_EQ(user->email, "ada@bank.fr");
  EXPECT_TRUE(user->email_verified);
  EXPECT_EQ(user->name, "Ada L.");
  EXPECT_EQ(Stats().token_requests, 1);
}

TEST_F(ProviderClientTest, EmailVerifiedSentAsAString) {
  StartProvider();
  ASSERT_TRUE(provider_
                  ->SetNextUser(
                      R"({"sub":"s1","email":"a@b.c","email_verified":"true"})")
                  .ok());
  EXPECT_TRUE(Login().value().email_verified);
  ASSERT_TRUE(
      provider_
          ->SetNextUser(
              R"({"sub":"s1","email":"a@b.c","email_verified":"false"})")
          .ok());
  EXPECT_FALSE(Login().value().email_verified);
}

TEST_F(ProviderClientTest, RedirectUriWithItsOwnQueryRoundTrips) {
  StartProvider(
      {.redirect_uris = {"https://agora.test/cb?tenant=fr&next=%2Fa"}});
  absl::StatusOr<ExternalUser> user = Login();
  EXPECT_TRUE(user.ok()) << user.status();
}

struct ForgedCase {
  const char* mode;
  const char* message;
};

class ForgedIdTokenTest : public ProviderClientTest,
                          public ::testing::WithParamInterface<ForgedCase> {};

TEST_P(ForgedIdTokenTest, IsRefusedAsUnauthenticated) {
  StartProvider();
  ASSERT_TRUE(provider_->Forge(GetParam().mode).ok());
  absl::StatusOr<ExternalUser> user = Login();
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnauthenticated)
      << user.status();
  EXPECT_EQ(user.status().message(), GetParam().message);
  // The provider issued a token: the refusal is ours, not a transport error.
  EXPECT_EQ(Stats().token_requests, 1);
}

INSTANTIATE_TEST_SUITE_P(
    EveryForgery, ForgedIdTokenTest,
    ::testing::Values(
        ForgedCase{"expired", "id token expired"},
        ForgedCase{"future_iat", "id token issued in the future"},
        ForgedCase{"wrong_audience", "id token audience mismatch"},
        ForgedCase{"two_audiences_no_azp", "id token audience mismatch"},
        ForgedCase{"azp_mismatch", "id token audience mismatch"},
        ForgedCase{"wrong_issuer", "id token issuer mismatch"},
        ForgedCase{"wrong_nonce", "id token nonce mismatch"},
        ForgedCase{"bad_signature", "id token signature invalid"},
        ForgedCase{"unknown_kid", "unknown signing key"},
        ForgedCase{"alg_none", "id token algorithm not allowed"},
        ForgedCase{"hs256", "id token algorithm not allowed"},
        ForgedCase{"no_sub", "id token subject invalid"}),
    [](const ::testing::TestParamInfo<ForgedCase>& info) {
      return std::string(info.param.mode);
    });

TEST_F(ProviderClientTest, Es256TokenIsAccepted) {
  StartProvider();
  ASSERT_TRUE(provider_->Forge("es256").ok());
  absl::StatusOr<ExternalUser> user = Login();
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->subject, "user-1");
}

TEST_F(ProviderClientTest, SeveralAudiencesWithOurAzpAreAccepted) {
  StartProvider();
  ASSERT_TRUE(provider_->Forge("two_audiences").ok());
  EXPECT_TRUE(Login().ok());
}

TEST_F(ProviderClientTest, WrongNonceAtTheCallerIsRefused) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  absl::StatusOr<ExternalUser> user =
      client_->FinishLogin(config_, code, RedirectUri(), attempt.pkce.verifier,
                           RandomUrlSafeToken());
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(user.status().message(), "id token nonce mismatch");
}

TEST_F(ProviderClientTest, JwksFetchedOnceForTwoSignIns) {
  StartProvider();
  ASSERT_TRUE(Login().ok());
  ASSERT_TRUE(Login().ok());
  EXPECT_EQ(Stats().jwks_fetches, 1);
  EXPECT_EQ(Stats().token_requests, 2);
}

TEST_F(ProviderClientTest, RotatedKeyIsFetchedOnceTheRefreshIntervalAllows) {
  StartProvider();
  ASSERT_TRUE(Login().ok());
  ASSERT_TRUE(provider_->Rotate().ok());
  // Within min_jwks_refresh of the first fetch the new kid stays unknown.
  absl::StatusOr<ExternalUser> early = Login();
  EXPECT_EQ(early.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(early.status().message(), "unknown signing key");
  EXPECT_EQ(Stats().jwks_fetches, 1);

  clock_.Advance(absl::Seconds(31));
  absl::StatusOr<ExternalUser> later = Login();
  EXPECT_TRUE(later.ok()) << later.status();
  EXPECT_EQ(Stats().jwks_fetches, 2);
  ASSERT_TRUE(Login().ok());
  EXPECT_EQ(Stats().jwks_fetches, 2);
}

TEST_F(ProviderClientTest, UnknownKidsRefetchAtMostOncePerInterval) {
  StartProvider();
  ASSERT_TRUE(Login().ok());
  clock_.Advance(absl::Seconds(31));
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(provider_->Forge("unknown_kid").ok());
    EXPECT_EQ(Login().status().message(), "unknown signing key");
  }
  EXPECT_EQ(Stats().jwks_fetches, 2);
  clock_.Advance(absl::Seconds(31));
  ASSERT_TRUE(provider_->Forge("unknown_kid").ok());
  EXPECT_EQ(Login().status().message(), "unknown signing key");
  EXPECT_EQ(Stats().jwks_fetches, 3);
}

TEST_F(ProviderClientTest, KeysOlderThanMaxAgeAreFetchedAgain) {
  StartProvider();
  MakeClient(HttpOptions{.ca_file = provider_->ca_file()},
             VerifierOptions{.jwks_max_age = absl::Minutes(2)});
  ASSERT_TRUE(Login().ok());
  clock_.Advance(absl::Minutes(3));
  ASSERT_TRUE(Login().ok());
  EXPECT_EQ(Stats().jwks_fetches, 2);
}

TEST_F(ProviderClientTest, ConcurrentSignInsShareOneJwksFetch) {
  StartProvider();
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 3; ++i) {
        if (Login().ok()) ++succeeded;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(succeeded.load(), 12);
  EXPECT_EQ(Stats().jwks_fetches, 1);
}

TEST_F(ProviderClientTest, WrongVerifierIsARefusedCode) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  absl::StatusOr<ExternalUser> user = client_->FinishLogin(
      config_, code, RedirectUri(), NewPkce().verifier, attempt.nonce);
  EXPECT_EQ(user.status().code(), absl::StatusCode::kInvalidArgument)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("code"));
  EXPECT_EQ(Stats().token_requests, 1);
}

TEST_F(ProviderClientTest, ReusedCodeIsRefused) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  ASSERT_TRUE(client_
                  ->FinishLogin(config_, code, RedirectUri(),
                                attempt.pkce.verifier, attempt.nonce)
                  .ok());
  absl::StatusOr<ExternalUser> again = client_->FinishLogin(
      config_, code, RedirectUri(), attempt.pkce.verifier, attempt.nonce);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument)
      << again.status();
  EXPECT_THAT(again.status().message(), HasSubstr("code"));
}

TEST_F(ProviderClientTest, OtherRedirectUriIsARefusedCode) {
  StartProvider(
      {.redirect_uris = {"https://agora.test/a", "https://agora.test/b"}});
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);  // issued for /a
  absl::StatusOr<ExternalUser> user =
      client_->FinishLogin(config_, code, "https://agora.test/b",
                           attempt.pkce.verifier, attempt.nonce);
  EXPECT_EQ(user.status().code(), absl::StatusCode::kInvalidArgument)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("code"));
}

TEST_F(ProviderClientTest, WrongClientSecretIsOurConfiguration) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  config_.client_secret = "not-the-secret";
  absl::StatusOr<ExternalUser> user = client_->FinishLogin(
      config_, code, RedirectUri(), attempt.pkce.verifier, attempt.nonce);
  EXPECT_EQ(user.status().code(), absl::StatusCode::kFailedPrecondition)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("invalid_client"));
}

TEST_F(ProviderClientTest, MalformedArgumentsNeverReachTheProvider) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  EXPECT_THAT(
      client_->FinishLogin(config_, code, RedirectUri(), "short", attempt.nonce)
          .status()
          .message(),
      HasSubstr("code_verifier"));
  EXPECT_THAT(client_
                  ->FinishLogin(config_, std::string(3000, 'c'), RedirectUri(),
                                attempt.pkce.verifier, attempt.nonce)
                  .status()
                  .message(),
              HasSubstr("code"));
  EXPECT_THAT(
      client_
          ->FinishLogin(config_, code, RedirectUri(), attempt.pkce.verifier, "")
          .status()
          .message(),
      HasSubstr("expected_nonce"));
  EXPECT_EQ(Stats().token_requests, 0);
}

TEST_F(ProviderClientTest, StoppedProviderIsUnavailable) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  provider_->Stop();
  absl::StatusOr<ExternalUser> user = client_->FinishLogin(
      config_, code, RedirectUri(), attempt.pkce.verifier, attempt.nonce);
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnavailable)
      << user.status();
}

TEST_F(ProviderClientTest, HangingProviderIsUnavailableAfterTheTimeout) {
  StartProvider();
  MakeClient(HttpOptions{.ca_file = provider_->ca_file(),
                         .timeout = absl::Seconds(2)});
  ASSERT_TRUE(provider_->Hang().ok());
  const absl::Time start = absl::Now();
  absl::StatusOr<ExternalUser> user = Login();
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnavailable)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("timed out"));
  // The provider sleeps 30 s: returning well before says the timeout cut it.
  EXPECT_LT(absl::Now() - start, absl::Seconds(20));
}

TEST_F(ProviderClientTest, UntrustedCertificateIsUnavailable) {
  StartProvider();
  MakeClient(
      HttpOptions{});  // the system's CAs, which do not know the provider
  absl::StatusOr<ExternalUser> user = Login();
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnavailable)
      << user.status();
  EXPECT_EQ(Stats().token_requests, 0);
}

TEST_F(ProviderClientTest, HttpEndpointIsRefusedWithoutARequest) {
  StartProvider();
  const Attempt attempt;
  const std::string code = AuthorizeCode(attempt);
  config_.token_endpoint = absl::StrCat(
      "http://127.0.0.1:",
      config_.token_endpoint.substr(config_.issuer.rfind(':') + 1));
  ASSERT_THAT(config_.token_endpoint,
              ::testing::StartsWith("http://127.0.0.1:"));
  absl::StatusOr<ExternalUser> user = client_->FinishLogin(
      config_, code, RedirectUri(), attempt.pkce.verifier, attempt.nonce);
  EXPECT_EQ(user.status().code(), absl::StatusCode::kFailedPrecondition)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("token_endpoint"));
  EXPECT_EQ(Stats().token_requests, 0);
}

TEST_F(ProviderClientTest, HttpsClientRefusesPlainHttp) {
  StartProvider();
  HttpsClient http(HttpOptions{.ca_file = provider_->ca_file()});
  const std::string plain = "http" + config_.jwks_uri.substr(5);
  EXPECT_EQ(http.Get(plain, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Stats().jwks_fetches, 0);
  absl::StatusOr<HttpResponse> https = http.Get(config_.jwks_uri, {});
  ASSERT_TRUE(https.ok()) << https.status();
  EXPECT_EQ(https->status, 200);
}

struct TokenFaultCase {
  const char* mode;
  const char* message;
};

class TokenFaultTest : public ProviderClientTest,
                       public ::testing::WithParamInterface<TokenFaultCase> {};

TEST_P(TokenFaultTest, IsUnavailable) {
  StartProvider();
  ASSERT_TRUE(provider_->TokenFault(GetParam().mode).ok());
  absl::StatusOr<ExternalUser> user = Login();
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnavailable)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr(GetParam().message));
  // The fault was one answer: the next sign-in works.
  EXPECT_TRUE(Login().ok());
}

INSTANTIATE_TEST_SUITE_P(
    EveryFault, TokenFaultTest,
    ::testing::Values(TokenFaultCase{"oversize", "too large"},
                      TokenFaultCase{"oversize_unannounced", "too large"},
                      TokenFaultCase{"not_json", "non-JSON"},
                      TokenFaultCase{"server_error", "HTTP 503"},
                      TokenFaultCase{"redirect", "HTTP 302"}),
    [](const ::testing::TestParamInfo<TokenFaultCase>& info) {
      return std::string(info.param.mode);
    });

TEST_F(ProviderClientTest, ResponseBoundIsConfigurable) {
  StartProvider();
  // A normal token answer (an RS256 ID token is over 600 bytes) exceeds 256.
  MakeClient(
      HttpOptions{.ca_file = provider_->ca_file(), .max_response_bytes = 256});
  absl::StatusOr<ExternalUser> user = Login();
  EXPECT_EQ(user.status().code(), absl::StatusCode::kUnavailable)
      << user.status();
  EXPECT_THAT(user.status().message(), HasSubstr("too large"));
}

TEST_F(ProviderClientTest, XSignInUsesTheUserEndpoint) {
  StartProvider({.x_mode = true});
  ASSERT_EQ(config_.protocol, Protocol::kOAuth2UserInfo);
  ASSERT_TRUE(
      provider_->SetNextUser(R"({"sub":"1460981234","name":"Grace H."})").ok());
  const Attempt attempt;
  const std::string url =
      AuthorizationUrl(config_, RedirectUri(), attempt.state, attempt.nonce,
                       attempt.pkce.challenge, "");
  EXPECT_THAT(url, Not(HasSubstr("nonce=")));
  EXPECT_THAT(url, Not(HasSubstr("openid")));
  absl::StatusOr<OidcTestProvider::Callback> callback =
      provider_->Authorize(url);
  ASSERT_TRUE(callback.ok()) << callback.status();
  absl::StatusOr<ExternalUser> user =
      client_->FinishLogin(config_, callback->code, RedirectUri(),
                           attempt.pkce.verifier, /*expected_nonce=*/"");
  ASSERT_TRUE(user.ok()) << user.status();
  EXPECT_EQ(user->subject, "1460981234");
  EXPECT_EQ(user->name, "Grace H.");
  EXPECT_EQ(user->email, "");
  EXPECT_FALSE(user->email_verified);
  EXPECT_EQ(Stats().jwks_fetches, 0);
}

}  // namespace
}  // namespace agora::identity::oidc
