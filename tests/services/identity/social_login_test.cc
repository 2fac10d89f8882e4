// Social sign-in end to end: the identity domain on real PostgreSQL and
// Redis, its OpenID client talking HTTPS to the local OpenID provider
// (tests/harness/oidc_provider), which plays Google, X and the bank's SSO.
// Each test configures the tenant's provider the way a tenant admin does
// (CreateIdentityProvider, the client secret in a file: reference), then
// runs Start → the browser at the provider → Finish.
#include "services/identity/domain/social_login.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/principal.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/identity_providers.h"
#include "services/identity/domain/profiles.h"
#include "services/identity/oidc/pkce.h"
#include "services/identity/oidc/provider_client.h"
#include "tests/harness/oidc_test_provider.h"
#include "tests/services/identity/identity_fixture.h"

namespace agora::identity {
namespace {

using ::agora::testing::OidcTestProvider;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

constexpr char kRedirectUri[] = "https://fr.agora.test/auth/callback";
constexpr char kGoogle[] = "tenants/fr/identityProviders/google";
constexpr char kBank[] = "tenants/fr/identityProviders/bank";
constexpr char kAdminId[] = "aaaaaaaa-0000-0000-0000-0000000000ad";

std::string PercentDecode(absl::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    int byte = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        absl::SimpleHexAtoi(text.substr(i + 1, 2), &byte)) {
      out.push_back(static_cast<char>(byte));
      i += 2;
    } else {
      out.push_back(text[i] == '+' ? ' ' : text[i]);
    }
  }
  return out;
}

// The query parameters of `url`, decoded.
std::map<std::string, std::string> QueryOf(absl::string_view url) {
  std::map<std::string, std::string> fields;
  const size_t question = url.find('?');
  if (question == absl::string_view::npos) return fields;
  for (absl::string_view pair :
       absl::StrSplit(url.substr(question + 1), '&', absl::SkipEmpty())) {
    std::pair<absl::string_view, absl::string_view> field =
        absl::StrSplit(pair, absl::MaxSplits('=', 1));
    fields[PercentDecode(field.first)] = PercentDecode(field.second);
  }
  return fields;
}

std::vector<std::string> ScopesOf(std::map<std::string, std::string>& query) {
  return absl::StrSplit(query["scope"], ' ');
}

// "tenants/fr/members/<id>" → "<id>".
std::string MemberIdOf(const v1::Session& session) {
  const std::string& name = session.member().name();
  return name.substr(name.rfind('/') + 1);
}

class SocialLoginTest : public IdentityTest {
 protected:
  void TearDown() override {
    if (!secret_file_.empty()) std::remove(secret_file_.c_str());
    if (!secret_dir_.empty()) rmdir(secret_dir_.c_str());
    IdentityTest::TearDown();
  }

  // Starts the local provider and points the domain's OpenID client at it
  // (trusting its certificate, as --oidc_ca_file does in main).
  void StartProvider(OidcTestProvider::Options options = {}) {
    options.redirect_uris = {kRedirectUri};
    absl::StatusOr<std::unique_ptr<OidcTestProvider>> started =
        OidcTestProvider::Start(std::move(options));
    ASSERT_TRUE(started.ok()) << started.status();
    provider_ = *std::move(started);
    // A short timeout: the hanging-provider case waits for it.
    client_ = std::make_unique<oidc::ProviderClient>(oidc::HttpOptions{
        .ca_file = provider_->ca_file(), .timeout = absl::Seconds(2)});
    context().oidc = client_.get();
    std::string dir = ::testing::TempDir() + "social-login-XXXXXX";
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    secret_dir_ = dir;
    secret_file_ = dir + "/client-secret";
    WriteSecret(provider_->options().client_secret);
  }

  // The mounted secret, with the newline editors leave (ReadSecret drops it).
  void WriteSecret(const std::string& secret) {
    std::ofstream(secret_file_, std::ios::trunc) << secret << "\n";
  }

  // Tenant `tenant`'s provider `id` of `type`, pointing at the local provider.
  void ConfigureProvider(const std::string& tenant, const std::string& id,
                         v1::IdentityProvider::Type type) {
    const oidc::ProviderConfig config = provider_->Config();
    v1::CreateIdentityProviderRequest request;
    request.set_parent(absl::StrCat("tenants/", tenant));
    request.set_identity_provider_id(id);
    v1::IdentityProvider* p = request.mutable_identity_provider();
    p->set_type(type);
    p->set_display_name(id);
    p->set_enabled(true);
    p->set_issuer(config.issuer);
    p->set_authorization_endpoint(config.authorization_endpoint);
    p->set_token_endpoint(config.token_endpoint);
    if (type == v1::IdentityProvider::TYPE_X) {
      p->set_userinfo_endpoint(config.userinfo_endpoint);
    } else {
      p->set_jwks_uri(config.jwks_uri);
    }
    p->set_client_id(config.client_id);
    p->set_client_secret_source(absl::StrCat("file:", secret_file_));
    for (const std::string& scope : config.scopes) p->add_scopes(scope);
    p->add_allowed_redirect_uris(kRedirectUri);
    absl::StatusOr<v1::IdentityProvider> created = CreateIdentityProvider(
        context(), TenantAdmin(tenant, kAdminId), request);
    ASSERT_TRUE(created.ok()) << created.status();
  }

  // The local provider as tenant fr's Google (the usual setting).
  void StartGoogle() {
    StartProvider();
    ASSERT_NO_FATAL_FAILURE(
        ConfigureProvider("fr", "google", v1::IdentityProvider::TYPE_GOOGLE));
  }

  absl::StatusOr<v1::StartSocialLoginResponse> Start(
      const std::string& provider, const auth::Principal* caller = nullptr,
      v1::SocialLoginIntent intent = v1::SOCIAL_LOGIN_INTENT_SIGN_IN) {
    v1::StartSocialLoginRequest request;
    request.set_provider(provider);
    request.set_redirect_uri(kRedirectUri);
    request.set_intent(intent);
    request.set_language("fr");
    return StartSocialLogin(context(), caller, CallInfo{}, request);
  }

  // The member's browser at the provider: the callback's code ("" on error).
  std::string Authorize(const v1::StartSocialLoginResponse& started) {
    absl::StatusOr<OidcTestProvider::Callback> callback =
        provider_->Authorize(started.authorization_url());
    EXPECT_TRUE(callback.ok()) << callback.status();
    if (!callback.ok()) return "";
    EXPECT_EQ(callback->error, "");
    EXPECT_EQ(callback->state, started.state());
    EXPECT_THAT(callback->location, StartsWith(kRedirectUri));
    return callback->code;
  }

  absl::StatusOr<v1::FinishSocialLoginResponse> Finish(
      const std::string& provider, const std::string& state,
      const std::string& code, const auth::Principal* caller = nullptr,
      const std::string& error = "") {
    v1::FinishSocialLoginRequest request;
    request.set_provider(provider);
    request.set_state(state);
    request.set_code(code);
    request.set_error(error);
    return FinishSocialLogin(context(), caller, CallInfo{"192.0.2.10"},
                             request);
  }

  // The whole flow for the provider's next user `user_json` ("" keeps the
  // provider's default user).
  absl::StatusOr<v1::FinishSocialLoginResponse> SignIn(
      const std::string& user_json, const std::string& provider = kGoogle,
      const auth::Principal* caller = nullptr,
      v1::SocialLoginIntent intent = v1::SOCIAL_LOGIN_INTENT_SIGN_IN) {
    if (!user_json.empty()) {
      if (absl::Status s = provider_->SetNextUser(user_json); !s.ok()) return s;
    }
    absl::StatusOr<v1::StartSocialLoginResponse> started =
        Start(provider, caller, intent);
    if (!started.ok()) return started.status();
    const std::string code = Authorize(*started);
    return Finish(provider, started->state(), code, caller);
  }

  absl::StatusOr<v1::Session> Confirm(const std::string& tenant,
                                      const std::string& token,
                                      const std::string& password,
                                      const auth::Principal* caller = nullptr) {
    v1::ConfirmAccountLinkRequest request;
    request.set_tenant(absl::StrCat("tenants/", tenant));
    request.set_link_token(token);
    request.set_password(password);
    return ConfirmAccountLink(context(), caller, CallInfo{"192.0.2.10"},
                              request);
  }

  absl::StatusOr<v1::ListExternalIdentitiesResponse> Identities(
      const std::string& tenant, const std::string& member) {
    v1::ListExternalIdentitiesRequest request;
    request.set_parent(absl::StrCat("tenants/", tenant, "/members/", member));
    return ListExternalIdentities(context(), Member(tenant, member), request);
  }

  absl::Status Unlink(const auth::Principal& caller, const std::string& name) {
    v1::DeleteExternalIdentityRequest request;
    request.set_name(name);
    return DeleteExternalIdentity(context(), caller, request).status();
  }

  // The caller the session's access token stands for, verified as any
  // Agora service verifies it.
  auth::Principal PrincipalOf(const v1::Session& session) {
    absl::StatusOr<auth::Claims> claims =
        verifier().Verify(session.access_token());
    EXPECT_TRUE(claims.ok()) << claims.status();
    if (!claims.ok()) return auth::Principal();
    absl::StatusOr<auth::Principal> principal =
        auth::PrincipalFromClaims(*claims);
    EXPECT_TRUE(principal.ok()) << principal.status();
    return principal.value_or(auth::Principal());
  }

  int Count(const std::string& sql) {
    int count = -1;
    EXPECT_TRUE(absl::SimpleAtoi(Query(sql), &count)) << sql;
    return count;
  }
  int MemberCount() { return Count("SELECT count(*) FROM members"); }
  int IdentityCount() {
    return Count("SELECT count(*) FROM external_identities");
  }
  int SessionCount() { return Count("SELECT count(*) FROM refresh_tokens"); }

  std::unique_ptr<OidcTestProvider> provider_;
  std::unique_ptr<oidc::ProviderClient> client_;
  std::string secret_dir_;
  std::string secret_file_;
};

// --- Start ---------------------------------------------------------------

TEST_F(SocialLoginTest, AuthorizationUrlCarriesPkceStateNonceAndRedirect) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_THAT(started->authorization_url(),
              StartsWith(provider_->issuer() + "/authorize?"));
  EXPECT_EQ(started->state().size(), 43u);
  EXPECT_TRUE(started->has_expire_time());

  std::map<std::string, std::string> query =
      QueryOf(started->authorization_url());
  EXPECT_EQ(query["response_type"], "code");
  EXPECT_EQ(query["client_id"], provider_->options().client_id);
  EXPECT_EQ(query["redirect_uri"], kRedirectUri);
  EXPECT_EQ(query["state"], started->state());
  EXPECT_EQ(query["code_challenge_method"], "S256");
  EXPECT_THAT(ScopesOf(query), Contains("openid"));
  // What is kept server-side matches what the URL commits to: the challenge
  // is the S256 of the stored verifier, the nonce the stored one; the state
  // itself is stored only as a hash.
  EXPECT_EQ(
      query["code_challenge"],
      oidc::PkceChallenge(Query("SELECT code_verifier FROM login_flows")));
  EXPECT_FALSE(query["nonce"].empty());
  EXPECT_EQ(query["nonce"], Query("SELECT nonce FROM login_flows"));
  EXPECT_EQ(Query("SELECT count(*) FROM login_flows WHERE"
                  " position(convert_to($1, 'UTF8') in state_hash) > 0",
                  started->state()),
            "0");

  // Two starts never share state, nonce or verifier.
  absl::StatusOr<v1::StartSocialLoginResponse> again = Start(kGoogle);
  ASSERT_TRUE(again.ok());
  std::map<std::string, std::string> other =
      QueryOf(again->authorization_url());
  EXPECT_NE(other["state"], query["state"]);
  EXPECT_NE(other["nonce"], query["nonce"]);
  EXPECT_NE(other["code_challenge"], query["code_challenge"]);
}

TEST_F(SocialLoginTest, StartRefusesBadRequests) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  v1::StartSocialLoginRequest request;
  request.set_provider(kGoogle);
  request.set_redirect_uri("https://evil.example/callback");
  absl::Status status =
      StartSocialLogin(context(), nullptr, CallInfo{}, request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("redirect_uri"));

  EXPECT_EQ(Start("tenants/fr/identityProviders/facebook").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Start("tenants/it/identityProviders/google").status().code(),
            absl::StatusCode::kNotFound);
  // Linking needs a signed-in member of the tenant.
  EXPECT_EQ(
      Start(kGoogle, nullptr, v1::SOCIAL_LOGIN_INTENT_LINK).status().code(),
      absl::StatusCode::kUnauthenticated);
  const auth::Principal it_member =
      Member("it", "bbbbbbbb-0000-0000-0000-000000000001");
  EXPECT_EQ(
      Start(kGoogle, &it_member, v1::SOCIAL_LOGIN_INTENT_LINK).status().code(),
      absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(Count("SELECT count(*) FROM login_flows"), 0);
}

// --- Sign-in and sign-up -------------------------------------------------

TEST_F(SocialLoginTest, NewSubjectCreatesAMemberAndSignsIn) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      SignIn(R"({"sub":"google-ada","email":"Ada@Bank.fr",
                 "email_verified":true,"name":"Ada L."})");
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_session());
  EXPECT_TRUE(finished->new_member());
  const v1::Session& session = finished->session();
  const std::string id = MemberIdOf(session);
  EXPECT_EQ(session.member().name(), absl::StrCat("tenants/fr/members/", id));
  EXPECT_EQ(session.member().email(), "Ada@bank.fr");
  EXPECT_TRUE(session.member().email_verified());
  EXPECT_EQ(session.member().display_name(), "Ada L.");
  EXPECT_EQ(session.member().state(), v1::Member::STATE_ACTIVE);
  EXPECT_FALSE(session.member().has_password());
  EXPECT_FALSE(session.member().verified_customer());
  EXPECT_FALSE(session.refresh_token().empty());

  const auth::Principal caller = PrincipalOf(session);
  EXPECT_EQ(caller.tenant, "fr");
  EXPECT_EQ(caller.subject, id);
  EXPECT_FALSE(caller.is_service_account);

  absl::StatusOr<v1::ListExternalIdentitiesResponse> identities =
      Identities("fr", id);
  ASSERT_TRUE(identities.ok()) << identities.status();
  ASSERT_EQ(identities->external_identities_size(), 1);
  const v1::ExternalIdentity& identity = identities->external_identities(0);
  EXPECT_THAT(identity.name(),
              StartsWith(absl::StrCat("tenants/fr/members/", id,
                                      "/externalIdentities/")));
  EXPECT_EQ(identity.provider(), kGoogle);
  EXPECT_EQ(identity.subject(), "google-ada");
  EXPECT_TRUE(identity.email_verified());
  EXPECT_EQ(MemberCount(), 1);
}

TEST_F(SocialLoginTest, SameSubjectSignsTheSameMemberInEvenWithANewEmail) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> first =
      SignIn(R"({"sub":"google-ada","email":"ada@bank.fr",
                 "email_verified":true,"name":"Ada"})");
  ASSERT_TRUE(first.ok()) << first.status();
  // The provider's e-mail changed: the link is the subject, not the e-mail.
  absl::StatusOr<v1::FinishSocialLoginResponse> second =
      SignIn(R"({"sub":"google-ada","email":"ada.l@other.fr",
                 "email_verified":false,"name":"Ada"})");
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(second->has_session());
  EXPECT_FALSE(second->new_member());
  EXPECT_EQ(MemberIdOf(second->session()), MemberIdOf(first->session()));
  EXPECT_NE(second->session().refresh_token(),
            first->session().refresh_token());
  EXPECT_EQ(MemberCount(), 1);
  EXPECT_EQ(IdentityCount(), 1);
  // The identity records what the provider says now.
  absl::StatusOr<v1::ListExternalIdentitiesResponse> identities =
      Identities("fr", MemberIdOf(first->session()));
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->external_identities_size(), 1);
  EXPECT_EQ(identities->external_identities(0).email(), "ada.l@other.fr");
  EXPECT_FALSE(identities->external_identities(0).email_verified());
}

TEST_F(SocialLoginTest, TakenOrReservedProviderNamesGetAFreeDisplayName) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> first =
      SignIn(R"({"sub":"s1","name":"Ada L."})");
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::FinishSocialLoginResponse> same_name =
      SignIn(R"({"sub":"s2","name":"ada l."})");
  ASSERT_TRUE(same_name.ok()) << same_name.status();
  EXPECT_THAT(same_name->session().member().display_name(),
              StartsWith("member-"));
  absl::StatusOr<v1::FinishSocialLoginResponse> reserved =
      SignIn(R"({"sub":"s3","name":"Support"})");
  ASSERT_TRUE(reserved.ok()) << reserved.status();
  EXPECT_THAT(reserved->session().member().display_name(),
              StartsWith("member-"));
  EXPECT_EQ(MemberCount(), 3);
}

// --- Existing accounts with the same e-mail --------------------------------

TEST_F(SocialLoginTest, VerifiedEmailOfAPasswordMemberNeedsTheirPassword) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  const std::string subject_json =
      R"({"sub":"google-ada","email":"ADA@bank.fr","email_verified":true})";
  absl::StatusOr<v1::FinishSocialLoginResponse> finished = SignIn(subject_json);
  ASSERT_TRUE(finished.ok()) << finished.status();
  // No session: the provider's word on the e-mail is not enough.
  ASSERT_TRUE(finished->has_link_confirmation());
  EXPECT_FALSE(finished->has_session());
  EXPECT_FALSE(finished->new_member());
  const v1::LinkConfirmation& confirmation = finished->link_confirmation();
  EXPECT_EQ(confirmation.link_token().size(), 43u);
  EXPECT_EQ(confirmation.masked_email(), "a•••@bank.fr");
  EXPECT_EQ(confirmation.provider(), kGoogle);
  EXPECT_TRUE(confirmation.password_available());
  EXPECT_EQ(MemberCount(), 1);
  EXPECT_EQ(IdentityCount(), 0);
  EXPECT_EQ(SessionCount(), 0);

  // A wrong password links nothing and leaves the token usable.
  absl::StatusOr<v1::Session> wrong =
      Confirm("fr", confirmation.link_token(), "not the password");
  EXPECT_EQ(wrong.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(status::ReasonOf(wrong.status()), "INVALID_CREDENTIALS");
  EXPECT_EQ(IdentityCount(), 0);
  // The token belongs to tenant fr.
  EXPECT_EQ(Confirm("it", confirmation.link_token(), "correct horse battery")
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);

  absl::StatusOr<v1::Session> linked =
      Confirm("fr", confirmation.link_token(), "correct horse battery");
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(MemberIdOf(*linked), ada);
  EXPECT_EQ(PrincipalOf(*linked).subject, ada);
  absl::StatusOr<v1::ListExternalIdentitiesResponse> identities =
      Identities("fr", ada);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->external_identities_size(), 1);
  EXPECT_EQ(identities->external_identities(0).subject(), "google-ada");

  // Single use.
  absl::StatusOr<v1::Session> replay =
      Confirm("fr", confirmation.link_token(), "correct horse battery");
  EXPECT_EQ(replay.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::ReasonOf(replay.status()), "TOKEN_EXPIRED_OR_USED");

  // From now on the subject goes straight to Ada.
  absl::StatusOr<v1::FinishSocialLoginResponse> again = SignIn(subject_json);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_TRUE(again->has_session());
  EXPECT_EQ(MemberIdOf(again->session()), ada);
  EXPECT_EQ(MemberCount(), 1);
}

TEST_F(SocialLoginTest, ConfirmingAsTheSignedInMemberNeedsNoPassword) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  absl::StatusOr<v1::FinishSocialLoginResponse> finished = SignIn(
      R"({"sub":"google-ada","email":"ada@bank.fr","email_verified":true})");
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_link_confirmation());
  const std::string token = finished->link_confirmation().link_token();
  // Another member's token proves nothing about Ada's account.
  const auth::Principal other =
      Member("fr", InsertMember("fr", "bob@bank.fr", "bob's password!", "Bob"));
  EXPECT_EQ(Confirm("fr", token, "", &other).status().code(),
            absl::StatusCode::kInvalidArgument);
  const auth::Principal self = Member("fr", ada);
  absl::StatusOr<v1::Session> linked = Confirm("fr", token, "", &self);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(MemberIdOf(*linked), ada);
  EXPECT_EQ(IdentityCount(), 1);
}

TEST_F(SocialLoginTest, PendingAccountIsActivatedByAConfirmedLink) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  // Signed up with a password, never clicked the verification link.
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  Exec(
      "UPDATE members SET state = 1, email_verified = false"
      " WHERE id = $1::uuid",
      ada);
  absl::StatusOr<v1::FinishSocialLoginResponse> finished = SignIn(
      R"({"sub":"google-ada","email":"ada@bank.fr","email_verified":true})");
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_link_confirmation());
  // The provider proved the address and the password the account: what the
  // verification e-mail would have proved.
  absl::StatusOr<v1::Session> linked =
      Confirm("fr", finished->link_confirmation().link_token(),
              "correct horse battery");
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(MemberIdOf(*linked), ada);
  EXPECT_EQ(linked->member().state(), v1::Member::STATE_ACTIVE);
  EXPECT_TRUE(linked->member().email_verified());
  EXPECT_EQ(IdentityCount(), 1);
}

TEST_F(SocialLoginTest, UnverifiedEmailNeverReachesTheExistingAccount) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  // A JSON false, the string "false", and no claim at all.
  for (const char* user :
       {R"({"sub":"x1","email":"ada@bank.fr","email_verified":false})",
        R"({"sub":"x2","email":"ada@bank.fr","email_verified":"false"})",
        R"({"sub":"x3","email":"Ada@Bank.FR"})"}) {
    SCOPED_TRACE(user);
    absl::StatusOr<v1::FinishSocialLoginResponse> finished = SignIn(user);
    // Refused outright: no session, no link token, no second account
    // holding Ada's address.
    ASSERT_FALSE(finished.ok());
    EXPECT_EQ(finished.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_EQ(status::ReasonOf(finished.status()),
              "LINK_CONFIRMATION_REQUIRED");
  }
  EXPECT_EQ(MemberCount(), 1);
  EXPECT_EQ(IdentityCount(), 0);
  EXPECT_EQ(SessionCount(), 0);
  EXPECT_EQ(Count("SELECT count(*) FROM one_time_tokens"), 0);
  EXPECT_EQ(
      Query("SELECT last_login_time FROM members WHERE id = $1::uuid", ada),
      "");
}

TEST_F(SocialLoginTest, SecondSubjectWithTheSameEmailIsNotMergedSilently) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> first =
      SignIn(R"({"sub":"first","email":"ada@bank.fr","email_verified":true})");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string ada = MemberIdOf(first->session());
  // Another account at the provider claiming the same verified address.
  absl::StatusOr<v1::FinishSocialLoginResponse> second =
      SignIn(R"({"sub":"second","email":"ada@bank.fr","email_verified":true})");
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_TRUE(second->has_link_confirmation());
  EXPECT_FALSE(second->link_confirmation().password_available());
  const std::string token = second->link_confirmation().link_token();
  // No password to prove ownership with...
  absl::StatusOr<v1::Session> by_password = Confirm("fr", token, "anything");
  EXPECT_EQ(by_password.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(IdentityCount(), 1);
  // ...but the member signed in through the first identity may accept it.
  const auth::Principal self = PrincipalOf(first->session());
  absl::StatusOr<v1::Session> linked = Confirm("fr", token, "", &self);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(MemberIdOf(*linked), ada);
  EXPECT_EQ(IdentityCount(), 2);
  EXPECT_EQ(MemberCount(), 1);
}

// --- Linking while signed in, and unlinking ----------------------------------

TEST_F(SocialLoginTest, LinkIntentLinksToTheCallerAndOnlyTheOwnerUnlinks) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  const std::string bob =
      InsertMember("fr", "bob@bank.fr", "bob's password!", "Bob");
  const auth::Principal ada_caller = Member("fr", ada);
  // A Google account with another address: linking does not care.
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      SignIn(R"({"sub":"google-ada","email":"a.l@gmail.example",
                 "email_verified":true})",
             kGoogle, &ada_caller, v1::SOCIAL_LOGIN_INTENT_LINK);
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_session());
  EXPECT_FALSE(finished->new_member());
  EXPECT_EQ(MemberIdOf(finished->session()), ada);
  EXPECT_EQ(MemberCount(), 2);

  absl::StatusOr<v1::ListExternalIdentitiesResponse> identities =
      Identities("fr", ada);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->external_identities_size(), 1);
  const std::string identity = identities->external_identities(0).name();
  // Signing in through it now reaches Ada.
  absl::StatusOr<v1::FinishSocialLoginResponse> signed_in =
      SignIn(R"({"sub":"google-ada"})");
  ASSERT_TRUE(signed_in.ok()) << signed_in.status();
  EXPECT_EQ(MemberIdOf(signed_in->session()), ada);

  // Nobody else lists or unlinks it.
  v1::ListExternalIdentitiesRequest list;
  list.set_parent(absl::StrCat("tenants/fr/members/", ada));
  EXPECT_EQ(ListExternalIdentities(context(), Member("fr", bob), list)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Unlink(Member("fr", bob), identity).code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Unlink(TenantAdmin("fr", bob), identity).code(),
            absl::StatusCode::kPermissionDenied);
  // Bob naming Ada's identity under his own account finds nothing.
  const std::string identity_id = identity.substr(identity.rfind('/') + 1);
  EXPECT_EQ(Unlink(Member("fr", bob),
                   absl::StrCat("tenants/fr/members/", bob,
                                "/externalIdentities/", identity_id))
                .code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(IdentityCount(), 1);

  ASSERT_TRUE(Unlink(ada_caller, identity).ok());
  EXPECT_EQ(Identities("fr", ada)->external_identities_size(), 0);
  EXPECT_EQ(Unlink(ada_caller, identity).code(), absl::StatusCode::kNotFound);
  // Unlinked: the Google account no longer opens Ada's account.
  absl::StatusOr<v1::FinishSocialLoginResponse> after =
      SignIn(R"({"sub":"google-ada","email":"a.l@gmail.example",
                 "email_verified":true})");
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_TRUE(after->new_member());
  EXPECT_NE(MemberIdOf(after->session()), ada);
}

TEST_F(SocialLoginTest, LinkFlowIsFinishedOnlyByTheMemberWhoStartedIt) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  const std::string ada =
      InsertMember("fr", "ada@bank.fr", "correct horse battery", "Ada");
  const std::string mallory =
      InsertMember("fr", "mallory@bank.fr", "mallory's password", "Mallory");
  const auth::Principal ada_caller = Member("fr", ada);
  const auth::Principal mallory_caller = Member("fr", mallory);
  // Mallory starts a LINK flow and gets Ada's browser to complete it at the
  // provider: finished without Mallory's token it must not attach Ada's
  // provider account to Mallory (nor sign Ada's browser in as Mallory).
  ASSERT_TRUE(provider_->SetNextUser(R"({"sub":"google-ada"})").ok());
  absl::StatusOr<v1::StartSocialLoginResponse> started =
      Start(kGoogle, &mallory_caller, v1::SOCIAL_LOGIN_INTENT_LINK);
  ASSERT_TRUE(started.ok()) << started.status();
  absl::StatusOr<v1::FinishSocialLoginResponse> anonymous =
      Finish(kGoogle, started->state(), Authorize(*started));
  EXPECT_EQ(anonymous.status().code(), absl::StatusCode::kUnauthenticated)
      << anonymous.status();

  started = Start(kGoogle, &mallory_caller, v1::SOCIAL_LOGIN_INTENT_LINK);
  ASSERT_TRUE(started.ok()) << started.status();
  absl::StatusOr<v1::FinishSocialLoginResponse> as_ada =
      Finish(kGoogle, started->state(), Authorize(*started), &ada_caller);
  EXPECT_EQ(as_ada.status().code(), absl::StatusCode::kPermissionDenied)
      << as_ada.status();
  EXPECT_EQ(IdentityCount(), 0);
  EXPECT_EQ(SessionCount(), 0);
}

TEST_F(SocialLoginTest, LinkingASubjectOfAnotherMemberIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> owner =
      SignIn(R"({"sub":"google-1","email":"one@example.com"})");
  ASSERT_TRUE(owner.ok()) << owner.status();
  const std::string bob =
      InsertMember("fr", "bob@bank.fr", "bob's password!", "Bob");
  const auth::Principal bob_caller = Member("fr", bob);
  absl::StatusOr<v1::FinishSocialLoginResponse> stolen =
      SignIn(R"({"sub":"google-1"})", kGoogle, &bob_caller,
             v1::SOCIAL_LOGIN_INTENT_LINK);
  EXPECT_EQ(stolen.status().code(), absl::StatusCode::kAlreadyExists)
      << stolen.status();
  EXPECT_EQ(Identities("fr", bob)->external_identities_size(), 0);
  EXPECT_EQ(IdentityCount(), 1);
}

TEST_F(SocialLoginTest, OnlyWayToSignInCannotBeUnlinked) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      SignIn(R"({"sub":"only","email":"only@example.com"})");
  ASSERT_TRUE(finished.ok()) << finished.status();
  const auth::Principal self = PrincipalOf(finished->session());
  absl::StatusOr<v1::ListExternalIdentitiesResponse> identities =
      Identities("fr", self.subject);
  ASSERT_TRUE(identities.ok());
  ASSERT_EQ(identities->external_identities_size(), 1);
  EXPECT_EQ(Unlink(self, identities->external_identities(0).name()).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(IdentityCount(), 1);
}

// --- Suspensions -------------------------------------------------------------

TEST_F(SocialLoginTest, SuspendedMemberIsRefusedUntilTheSuspensionEnds) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> first =
      SignIn(R"({"sub":"s1","email":"s1@example.com"})");
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string id = MemberIdOf(first->session());
  Exec(
      "UPDATE members SET state = 3, suspension_reason = 'spam',"
      " suspension_end_time = now() + interval '1 day' WHERE id = $1::uuid",
      id);
  absl::StatusOr<v1::FinishSocialLoginResponse> refused =
      SignIn(R"({"sub":"s1"})");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(status::ReasonOf(refused.status()), "ACCOUNT_DISABLED");

  // Once the end has passed the next sign-in lifts it, as a password
  // sign-in does.
  Exec(
      "UPDATE members SET suspension_end_time = now() - interval '1 minute'"
      " WHERE id = $1::uuid",
      id);
  absl::StatusOr<v1::FinishSocialLoginResponse> lifted =
      SignIn(R"({"sub":"s1"})");
  ASSERT_TRUE(lifted.ok()) << lifted.status();
  EXPECT_EQ(MemberIdOf(lifted->session()), id);
  EXPECT_EQ(lifted->session().member().state(), v1::Member::STATE_ACTIVE);
  EXPECT_EQ(Query("SELECT state FROM members WHERE id = $1::uuid", id), "2");
}

// --- The bank's SSO
// ------------------------------------------------------------

TEST_F(SocialLoginTest, BankSsoMakesAVerifiedCustomer) {
  StartProvider();
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("fr", "bank", v1::IdentityProvider::TYPE_BANK_SSO));
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      SignIn(R"({"sub":"customer-42","email":"client@bank.fr",
                 "email_verified":true,"name":"Client"})",
             kBank);
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_session());
  EXPECT_TRUE(finished->session().member().verified_customer());
  absl::StatusOr<auth::Claims> claims =
      verifier().Verify(finished->session().access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->extra.value("verified_customer", false), true);

  // The public profile shows the badge.
  v1::GetProfileRequest request;
  request.set_name(finished->session().member().name() + "/profile");
  absl::StatusOr<v1::Profile> profile =
      GetProfile(context(), nullptr, CallInfo{}, request);
  ASSERT_TRUE(profile.ok()) << profile.status();
  EXPECT_THAT(profile->badges(),
              Contains(common::v1::MEMBER_BADGE_VERIFIED_CUSTOMER));
}

TEST_F(SocialLoginTest,
       LinkingTheBankSsoMakesAnExistingMemberAVerifiedCustomer) {
  StartProvider();
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("fr", "google", v1::IdentityProvider::TYPE_GOOGLE));
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("fr", "bank", v1::IdentityProvider::TYPE_BANK_SSO));
  // Google alone proves nothing about being a customer.
  absl::StatusOr<v1::FinishSocialLoginResponse> google =
      SignIn(R"({"sub":"g-1","email":"ada@gmail.example"})");
  ASSERT_TRUE(google.ok()) << google.status();
  EXPECT_FALSE(google->session().member().verified_customer());
  EXPECT_EQ(PrincipalOf(google->session()).subject,
            MemberIdOf(google->session()));

  const auth::Principal self = PrincipalOf(google->session());
  absl::StatusOr<v1::FinishSocialLoginResponse> linked = SignIn(
      R"({"sub":"customer-7"})", kBank, &self, v1::SOCIAL_LOGIN_INTENT_LINK);
  ASSERT_TRUE(linked.ok()) << linked.status();
  EXPECT_EQ(MemberIdOf(linked->session()), self.subject);
  EXPECT_TRUE(linked->session().member().verified_customer());
  // It stays: a later Google sign-in does not take it away.
  absl::StatusOr<v1::FinishSocialLoginResponse> later =
      SignIn(R"({"sub":"g-1"})");
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_TRUE(later->session().member().verified_customer());
  EXPECT_EQ(MemberCount(), 1);
}

// --- Forged ID tokens
// ----------------------------------------------------------

class ForgedIdTokenSignInTest
    : public SocialLoginTest,
      public ::testing::WithParamInterface<const char*> {};

TEST_P(ForgedIdTokenSignInTest, IsRefusedAndCreatesNothing) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  ASSERT_TRUE(provider_
                  ->SetNextUser(R"({"sub":"victim","email":"v@bank.fr",
                                         "email_verified":true})")
                  .ok());
  ASSERT_TRUE(provider_->Forge(GetParam()).ok());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string code = Authorize(*started);
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      Finish(kGoogle, started->state(), code);
  ASSERT_FALSE(finished.ok());
  EXPECT_EQ(finished.status().code(), absl::StatusCode::kUnauthenticated)
      << finished.status();
  EXPECT_EQ(status::ReasonOf(finished.status()), "TOKEN_INVALID");
  EXPECT_EQ(MemberCount(), 0);
  EXPECT_EQ(IdentityCount(), 0);
  EXPECT_EQ(SessionCount(), 0);
  // The flow is spent: the same callback cannot be tried again.
  EXPECT_EQ(Finish(kGoogle, started->state(), code).status().code(),
            absl::StatusCode::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(
    EveryForgery, ForgedIdTokenSignInTest,
    ::testing::Values("expired", "future_iat", "wrong_audience",
                      "two_audiences_no_azp", "azp_mismatch", "wrong_issuer",
                      "wrong_nonce", "bad_signature", "unknown_kid", "alg_none",
                      "hs256", "no_sub"),
    [](const ::testing::TestParamInfo<const char*>& info) {
      return std::string(info.param);
    });

TEST_F(SocialLoginTest, ValidVariantsOfIdTokensAreAccepted) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  for (const char* mode : {"es256", "two_audiences"}) {
    SCOPED_TRACE(mode);
    ASSERT_TRUE(provider_->Forge(mode).ok());
    absl::StatusOr<v1::FinishSocialLoginResponse> finished =
        SignIn(R"({"sub":"user-1"})");
    ASSERT_TRUE(finished.ok()) << finished.status();
    EXPECT_TRUE(finished->has_session());
  }
  EXPECT_EQ(MemberCount(), 1);
}

// --- State and code ----------------------------------------------------------

TEST_F(SocialLoginTest, StateWorksOnce) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string code = Authorize(*started);
  ASSERT_TRUE(Finish(kGoogle, started->state(), code).ok());
  absl::StatusOr<v1::FinishSocialLoginResponse> again =
      Finish(kGoogle, started->state(), code);
  EXPECT_EQ(again.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(again.status().message()), StartsWith("state"));
  EXPECT_EQ(MemberCount(), 1);
  EXPECT_EQ(SessionCount(), 1);
}

TEST_F(SocialLoginTest, UnknownOrExpiredStateIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string code = Authorize(*started);
  absl::StatusOr<v1::FinishSocialLoginResponse> unknown =
      Finish(kGoogle, std::string(43, 'A'), code);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(unknown.status().message()), StartsWith("state"));

  Exec("UPDATE login_flows SET expire_time = now() - interval '1 second'");
  absl::StatusOr<v1::FinishSocialLoginResponse> expired =
      Finish(kGoogle, started->state(), code);
  EXPECT_EQ(expired.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(expired.status().message()), StartsWith("state"));
  EXPECT_EQ(MemberCount(), 0);
  // Neither attempt reached the provider's token endpoint.
  EXPECT_EQ(provider_->GetStats()->token_requests, 0);
}

TEST_F(SocialLoginTest, StateBelongsToItsTenantAndProvider) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("it", "google", v1::IdentityProvider::TYPE_GOOGLE));
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("fr", "bank", v1::IdentityProvider::TYPE_BANK_SSO));
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok()) << started.status();
  const std::string code = Authorize(*started);
  absl::StatusOr<v1::FinishSocialLoginResponse> in_it =
      Finish("tenants/it/identityProviders/google", started->state(), code);
  EXPECT_EQ(in_it.status().code(), absl::StatusCode::kInvalidArgument);
  // Finished as the bank's SSO it would make a verified customer.
  absl::StatusOr<v1::FinishSocialLoginResponse> as_bank =
      Finish(kBank, started->state(), code);
  EXPECT_EQ(as_bank.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MemberCount(), 0);
  EXPECT_EQ(provider_->GetStats()->token_requests, 0);
}

TEST_F(SocialLoginTest, CodeOfAnotherFlowIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  // A code obtained in one flow injected into another: PKCE ties the code to
  // the verifier of the flow that asked for it.
  absl::StatusOr<v1::StartSocialLoginResponse> attacker = Start(kGoogle);
  ASSERT_TRUE(attacker.ok());
  const std::string code = Authorize(*attacker);
  absl::StatusOr<v1::StartSocialLoginResponse> victim = Start(kGoogle);
  ASSERT_TRUE(victim.ok());
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      Finish(kGoogle, victim->state(), code);
  EXPECT_EQ(finished.status().code(), absl::StatusCode::kInvalidArgument)
      << finished.status();
  EXPECT_THAT(std::string(finished.status().message()), HasSubstr("code"));
  EXPECT_EQ(MemberCount(), 0);
}

TEST_F(SocialLoginTest, ProviderErrorEndsTheFlow) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok());
  const std::string code = Authorize(*started);
  absl::StatusOr<v1::FinishSocialLoginResponse> cancelled =
      Finish(kGoogle, started->state(), "", nullptr, "access_denied");
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Finish(kGoogle, started->state(), code).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(MemberCount(), 0);
}

TEST_F(SocialLoginTest, FinishNamesBadFields) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::FinishSocialLoginResponse> no_code =
      Finish(kGoogle, "some-state", "");
  EXPECT_EQ(no_code.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_code.status().message()), StartsWith("code"));
  absl::StatusOr<v1::FinishSocialLoginResponse> no_state =
      Finish(kGoogle, "", "some-code");
  EXPECT_EQ(no_state.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(no_state.status().message()), StartsWith("state"));
  absl::StatusOr<v1::FinishSocialLoginResponse> bad_provider =
      Finish("google", "some-state", "some-code");
  EXPECT_EQ(bad_provider.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad_provider.status().message()),
              StartsWith("provider"));
}

// --- The provider failing
// ------------------------------------------------------

TEST_F(SocialLoginTest, StoppedProviderIsUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(kGoogle);
  ASSERT_TRUE(started.ok());
  const std::string code = Authorize(*started);
  provider_->Stop();
  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      Finish(kGoogle, started->state(), code);
  EXPECT_EQ(finished.status().code(), absl::StatusCode::kUnavailable)
      << finished.status();
  EXPECT_EQ(MemberCount(), 0);
}

TEST_F(SocialLoginTest, HangingProviderIsUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  ASSERT_TRUE(provider_->Hang().ok());
  absl::StatusOr<v1::FinishSocialLoginResponse> finished = SignIn("");
  EXPECT_EQ(finished.status().code(), absl::StatusCode::kUnavailable)
      << finished.status();
  EXPECT_EQ(MemberCount(), 0);
}

TEST_F(SocialLoginTest, ProviderServerErrorIsUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  ASSERT_TRUE(provider_->TokenFault("server_error").ok());
  EXPECT_EQ(SignIn("").status().code(), absl::StatusCode::kUnavailable);
  // One bad answer: the next sign-in works.
  EXPECT_TRUE(SignIn("").ok());
}

TEST_F(SocialLoginTest, OurMisconfigurationIsUnavailableNotInternal) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  // The provider refuses our client secret (rotated there, not here).
  WriteSecret("an old secret");
  absl::StatusOr<v1::FinishSocialLoginResponse> refused = SignIn("");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable)
      << refused.status();
  EXPECT_THAT(std::string(refused.status().message()),
              Not(HasSubstr("old secret")));
  // The mounted secret is missing.
  ASSERT_EQ(std::remove(secret_file_.c_str()), 0);
  absl::StatusOr<v1::FinishSocialLoginResponse> missing = SignIn("");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kUnavailable)
      << missing.status();
  EXPECT_EQ(MemberCount(), 0);
}

TEST_F(SocialLoginTest, WithoutAnOpenIdClientSocialSignInIsUnavailable) {
  ASSERT_NO_FATAL_FAILURE(StartGoogle());
  context().oidc = nullptr;
  EXPECT_EQ(Start(kGoogle).status().code(), absl::StatusCode::kUnavailable);
}

// --- X: plain OAuth 2 and a user endpoint
// ----------------------------------------

TEST_F(SocialLoginTest, XSignsInThroughItsUserEndpoint) {
  StartProvider({.x_mode = true});
  ASSERT_NO_FATAL_FAILURE(
      ConfigureProvider("fr", "twitter", v1::IdentityProvider::TYPE_X));
  const std::string x = "tenants/fr/identityProviders/twitter";
  ASSERT_TRUE(
      provider_->SetNextUser(R"({"sub":"1460981234","name":"Grace H."})").ok());
  absl::StatusOr<v1::StartSocialLoginResponse> started = Start(x);
  ASSERT_TRUE(started.ok()) << started.status();
  std::map<std::string, std::string> query =
      QueryOf(started->authorization_url());
  // No OpenID: no nonce, no openid scope; PKCE and state all the same.
  EXPECT_EQ(query.count("nonce"), 0u);
  EXPECT_THAT(ScopesOf(query), Not(Contains("openid")));
  EXPECT_EQ(query["code_challenge_method"], "S256");
  EXPECT_EQ(query["state"], started->state());

  absl::StatusOr<v1::FinishSocialLoginResponse> finished =
      Finish(x, started->state(), Authorize(*started));
  ASSERT_TRUE(finished.ok()) << finished.status();
  ASSERT_TRUE(finished->has_session());
  EXPECT_TRUE(finished->new_member());
  EXPECT_EQ(finished->session().member().display_name(), "Grace H.");
  EXPECT_EQ(finished->session().member().email(), "");
  EXPECT_EQ(PrincipalOf(finished->session()).tenant, "fr");
  EXPECT_EQ(provider_->GetStats()->jwks_fetches, 0);

  absl::StatusOr<v1::FinishSocialLoginResponse> again =
      SignIn(R"({"sub":"1460981234","name":"Grace H."})", x);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->new_member());
  EXPECT_EQ(MemberIdOf(again->session()), MemberIdOf(finished->session()));
  EXPECT_EQ(MemberCount(), 1);
}

}  // namespace
}  // namespace agora::identity
