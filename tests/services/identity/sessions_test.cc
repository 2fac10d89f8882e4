// Sign-up, verification, login, refresh rotation and reuse detection,
// logout, throttling and enumeration resistance, on real PostgreSQL and
// Redis.
#include "services/identity/domain/sessions.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "agora/events/v1/events.pb.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/passwords.h"
#include "services/identity/domain/sign_up.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

constexpr char kPassword[] = "correct horse battery";

class SessionsTest : public IdentityTest {
 protected:
  CallInfo call_{"203.0.113.7"};

  v1::Member SignUpMember(const std::string& email,
                          const std::string& display_name) {
    v1::SignUpRequest request;
    request.set_parent("tenants/fr");
    request.set_email(email);
    request.set_password(kPassword);
    request.set_display_name(display_name);
    request.set_terms_version("v1");
    absl::StatusOr<v1::Member> member =
        SignUp(context(), nullptr, call_, request);
    EXPECT_TRUE(member.ok()) << member.status();
    return member.value_or(v1::Member());
  }

  // The token of the member's newest email_verification_requested event.
  std::string VerificationToken(const std::string& member_name) {
    const std::string payload = Query(
        "SELECT encode(payload, 'base64') FROM outbox"
        " WHERE event_type = 'email_verification_requested' ORDER BY id DESC "
        "LIMIT 1");
    events::v1::Event event;
    std::string bytes;
    EXPECT_TRUE(absl::Base64Unescape(payload, &bytes));
    EXPECT_TRUE(event.ParseFromString(bytes));
    EXPECT_EQ(event.email_verification_requested().member(), member_name);
    return event.email_verification_requested().token();
  }

  absl::StatusOr<v1::Session> LoginAs(const std::string& email,
                                      const std::string& password,
                                      IdentityContext* with = nullptr) {
    v1::LoginRequest request;
    request.set_tenant("tenants/fr");
    request.set_email(email);
    request.set_password(password);
    return Login(with != nullptr ? *with : context(), nullptr, call_, request);
  }

  absl::StatusOr<v1::Session> Refresh(const std::string& token) {
    v1::RefreshSessionRequest request;
    request.set_tenant("tenants/fr");
    request.set_refresh_token(token);
    return RefreshSession(context(), nullptr, call_, request);
  }
};

TEST_F(SessionsTest, SignUpVerifyLoginRefreshReuseLogout) {
  const v1::Member member = SignUpMember(" Alice@Example.FR ", "Alice Martin");
  EXPECT_EQ(member.email(), "Alice@example.fr");
  EXPECT_EQ(member.state(), v1::Member::STATE_PENDING_VERIFICATION);
  EXPECT_TRUE(member.has_password());
  // The hash is argon2id, never the password.
  EXPECT_EQ(Query("SELECT left(password_hash, 10) FROM members"), "$argon2id$");

  // Before verification: the right password says EMAIL_NOT_VERIFIED.
  absl::StatusOr<v1::Session> early = LoginAs("alice@example.fr", kPassword);
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(early.status()), "EMAIL_NOT_VERIFIED");

  v1::VerifyEmailRequest verify;
  verify.set_tenant("tenants/fr");
  verify.set_token(VerificationToken(member.name()));
  absl::StatusOr<v1::Session> verified =
      VerifyEmail(context(), nullptr, call_, verify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(verified->member().state(), v1::Member::STATE_ACTIVE);
  // Single use.
  absl::StatusOr<v1::Session> again =
      VerifyEmail(context(), nullptr, call_, verify);
  EXPECT_EQ(status::ReasonOf(again.status()), "TOKEN_EXPIRED_OR_USED");

  absl::StatusOr<v1::Session> session = LoginAs("ALICE@example.fr", kPassword);
  ASSERT_TRUE(session.ok()) << session.status();
  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(session->access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ("tenants/fr/members/" + claims->subject, member.name());
  EXPECT_EQ(claims->tenant, "fr");
  EXPECT_EQ(claims->roles, std::vector<std::string>{"member"});
  EXPECT_LE(claims->expires_at - absl::Now(), absl::Minutes(15));
  // Refresh tokens are stored only as hashes.
  EXPECT_EQ(Query("SELECT count(*) FROM refresh_tokens WHERE token_hash = "
                  "convert_to($1, 'UTF8')",
                  session->refresh_token()),
            "0");

  absl::StatusOr<v1::Session> rotated = Refresh(session->refresh_token());
  ASSERT_TRUE(rotated.ok()) << rotated.status();
  EXPECT_NE(rotated->refresh_token(), session->refresh_token());
  absl::StatusOr<v1::Session> rotated2 = Refresh(rotated->refresh_token());
  ASSERT_TRUE(rotated2.ok()) << rotated2.status();

  // Presenting a used token (a stolen copy) revokes the whole family: the
  // newest token, held by the owner, stops working too.
  absl::StatusOr<v1::Session> replay = Refresh(session->refresh_token());
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status::ReasonOf(replay.status()), "REFRESH_TOKEN_REUSED");
  EXPECT_EQ(Refresh(rotated2->refresh_token()).status().code(),
            absl::StatusCode::kUnauthenticated);

  // Logout revokes at once.
  absl::StatusOr<v1::Session> second = LoginAs("alice@example.fr", kPassword);
  ASSERT_TRUE(second.ok());
  v1::LogoutRequest logout;
  logout.set_tenant("tenants/fr");
  logout.set_refresh_token(second->refresh_token());
  ASSERT_TRUE(Logout(context(), nullptr, call_, logout).ok());
  EXPECT_EQ(Refresh(second->refresh_token()).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Logging out again, or with an unknown token, succeeds.
  EXPECT_TRUE(Logout(context(), nullptr, call_, logout).ok());
}

TEST_F(SessionsTest, ConcurrentRefreshesOfOneTokenLetOneThrough) {
  InsertMember("fr", "bob@example.fr", kPassword, "Bob");
  absl::StatusOr<v1::Session> session = LoginAs("bob@example.fr", kPassword);
  ASSERT_TRUE(session.ok());
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (Refresh(session->refresh_token()).ok()) ++ok;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
}

TEST_F(SessionsTest, UnknownEmailAndWrongPasswordLookTheSame) {
  InsertMember("fr", "carol@example.fr", kPassword, "Carol");
  absl::StatusOr<v1::Session> wrong = LoginAs("carol@example.fr", "wrong one");
  absl::StatusOr<v1::Session> unknown = LoginAs("nobody@example.fr", "x");
  EXPECT_EQ(wrong.status(), unknown.status());
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status::ReasonOf(wrong.status()), "INVALID_CREDENTIALS");
}

// The production argon2id cost; medians over 200 tries each.
TEST_F(SessionsTest, EnumerationTimingMediansDifferByLessThan10ms) {
  const PasswordHasher production;  // 19 MiB, 2 passes
  IdentityContext timed{.pool = *pool_,
                        .redis = *redis_,
                        .keys = context().keys,
                        .signing_keys = *keys_,
                        .passwords = production};
  timed.settings.max_failures_per_account_hour = 1000000;
  timed.settings.free_failures_before_backoff = 1000000;
  timed.settings.max_failures_per_address_hour = 1000000;
  const std::string hash = production.Hash(kPassword).value();
  InsertMember("fr", "dan@example.fr", kPassword, "Dan");
  Exec("UPDATE members SET password_hash = $1", hash);
  const auto time_login = [&](const std::string& email) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_FALSE(LoginAs(email, "not the password", &timed).ok());
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start)
        .count();
  };
  std::vector<double> known, unknown;
  for (int i = 0; i < 200; ++i) {
    known.push_back(time_login("dan@example.fr"));
    unknown.push_back(
        time_login("nobody-" + std::to_string(i) + "@example.fr"));
  }
  const auto median = [](std::vector<double> v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  EXPECT_LT(std::abs(median(known) - median(unknown)), 10.0)
      << "known " << median(known) << " ms, unknown " << median(unknown)
      << " ms";
}

TEST_F(SessionsTest, FailuresBackOffThenLockTheAccountForTheHour) {
  InsertMember("fr", "eve@example.fr", kPassword, "Eve");
  context().settings.free_failures_before_backoff = 3;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(LoginAs("eve@example.fr", "bad").status().code(),
              absl::StatusCode::kUnauthenticated);
  }
  EXPECT_EQ(LoginAs("eve@example.fr", "bad").status().code(),
            absl::StatusCode::kUnauthenticated);  // 4th: counted, wait set
  absl::StatusOr<v1::Session> waiting = LoginAs("eve@example.fr", kPassword);
  EXPECT_EQ(waiting.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status::ReasonOf(waiting.status()), "RATE_LIMITED");
  ASSERT_TRUE(status::RetryDelayOf(waiting.status()).has_value());

  // The hourly cap: past it, even the right password waits.
  // (Another account: Redis is shared with tests running in parallel, so
  // nothing is flushed.)
  InsertMember("fr", "ivy@example.fr", kPassword, "Ivy");
  context().settings.free_failures_before_backoff = 1000;
  context().settings.max_failures_per_account_hour = 5;
  for (int i = 0; i < 5; ++i) (void)LoginAs("ivy@example.fr", "bad");
  EXPECT_EQ(LoginAs("ivy@example.fr", kPassword).status().code(),
            absl::StatusCode::kResourceExhausted);
  // Unknown accounts are throttled the same way (nothing to enumerate).
  for (int i = 0; i < 5; ++i) (void)LoginAs("ghost@example.fr", "bad");
  EXPECT_EQ(LoginAs("ghost@example.fr", "bad").status().code(),
            absl::StatusCode::kResourceExhausted);
}

TEST_F(SessionsTest, BadInputIsNamed) {
  v1::SignUpRequest request;
  request.set_parent("tenants/fr");
  request.set_email("not-an-email");
  request.set_password(kPassword);
  request.set_display_name("Frank");
  request.set_terms_version("v1");
  absl::StatusOr<v1::Member> bad = SignUp(context(), nullptr, call_, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "email:"));

  request.set_email("frank@example.fr");
  request.set_password("short");
  bad = SignUp(context(), nullptr, call_, request);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "password:"));
  request.set_password("Password2024!");
  bad = SignUp(context(), nullptr, call_, request);
  EXPECT_EQ(status::ReasonOf(bad.status()), "PASSWORD_TOO_COMMON");
  request.set_password(std::string(129, 'x') + "y");
  bad = SignUp(context(), nullptr, call_, request);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "password:"));

  request.set_password(kPassword);
  request.set_display_name("Suppоrt officiel");  // Cyrillic о
  bad = SignUp(context(), nullptr, call_, request);
  EXPECT_EQ(status::ReasonOf(bad.status()), "DISPLAY_NAME_UNAVAILABLE");
  request.set_display_name("Frank");
  request.set_terms_version("v0");
  bad = SignUp(context(), nullptr, call_, request);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "terms_version:"));
  EXPECT_EQ(Query("SELECT count(*) FROM members"), "0");  // nothing stored
}

TEST_F(SessionsTest, DuplicateSignUpIsAlreadyExistsAndRetryIsIdempotent) {
  v1::SignUpRequest request;
  request.set_parent("tenants/fr");
  request.set_email("gina@example.fr");
  request.set_password(kPassword);
  request.set_display_name("Gina");
  request.set_terms_version("v1");
  request.set_request_id("7d8f0a4e-1c3b-4c59-9a0e-3f1b2c4d5e6f");
  absl::StatusOr<v1::Member> first = SignUp(context(), nullptr, call_, request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Member> retry = SignUp(context(), nullptr, call_, request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  request.clear_request_id();
  request.set_display_name("Gina Two");
  absl::StatusOr<v1::Member> duplicate =
      SignUp(context(), nullptr, call_, request);
  EXPECT_EQ(duplicate.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(Query("SELECT count(*) FROM members"), "1");
}

TEST_F(SessionsTest, PasswordResetSetsANewPasswordAndEndsSessions) {
  InsertMember("fr", "hugo@example.fr", kPassword, "Hugo");
  absl::StatusOr<v1::Session> session = LoginAs("hugo@example.fr", kPassword);
  ASSERT_TRUE(session.ok());
  v1::RequestPasswordResetRequest request;
  request.set_tenant("tenants/fr");
  request.set_email("hugo@example.fr");
  ASSERT_TRUE(RequestPasswordReset(context(), nullptr, call_, request).ok());
  // An unknown address gets the same answer and no event.
  request.set_email("nobody@example.fr");
  ASSERT_TRUE(RequestPasswordReset(context(), nullptr, call_, request).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM outbox WHERE event_type ="
                  " 'password_reset_requested'"),
            "1");
  const std::string payload = Query(
      "SELECT encode(payload, 'base64') FROM outbox"
      " WHERE event_type = 'password_reset_requested'");
  std::string bytes;
  ASSERT_TRUE(absl::Base64Unescape(payload, &bytes));
  events::v1::Event event;
  ASSERT_TRUE(event.ParseFromString(bytes));
  v1::ConfirmPasswordResetRequest confirm;
  confirm.set_tenant("tenants/fr");
  confirm.set_token(event.password_reset_requested().token());
  confirm.set_new_password("a brand new passphrase");
  ASSERT_TRUE(ConfirmPasswordReset(context(), nullptr, call_, confirm).ok());
  EXPECT_EQ(
      status::ReasonOf(
          ConfirmPasswordReset(context(), nullptr, call_, confirm).status()),
      "TOKEN_EXPIRED_OR_USED");
  EXPECT_FALSE(Refresh(session->refresh_token()).ok());
  EXPECT_FALSE(LoginAs("hugo@example.fr", kPassword).ok());
  EXPECT_TRUE(LoginAs("hugo@example.fr", "a brand new passphrase").ok());
}

}  // namespace
}  // namespace agora::identity
