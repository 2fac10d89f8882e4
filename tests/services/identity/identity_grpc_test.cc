// The agora-identity binary as deployed: seeded with its own `seed` operator
// command, started as a process (it applies its migrations, unseals or
// creates its signing key, checks PostgreSQL and Redis), and called over
// gRPC. The tokens it hands out are checked the way another service checks
// them: against the keys GetJwks publishes.
#include <google/protobuf/any.pb.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "agora/events/v1/events.pb.h"
#include "agora/identity/v1/identity.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/auth/base64url.h"
#include "libs/auth/claims.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/key_set.h"
#include "libs/auth/roles.h"
#include "libs/auth/static_key_source.h"
#include "tests/harness/child_process.h"
#include "tests/harness/health_probe.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::identity {
namespace {

using grpc::StatusCode;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

// Not the default issuer, so that the tokens prove the flag is honoured.
constexpr char kIssuer[] = "agora-identity-grpc-test";
constexpr char kAudience[] = "agora";
constexpr char kSeedPassword[] = "seeded members' passphrase";
constexpr char kPassword[] = "correct horse battery";

// Seed data in deploy/demo/identity.json's format: two tenants, a tenant
// admin and a member of fr, a member of it.
constexpr char kSeed[] = R"({
  "tenants": [
    {"id": "fr", "display_name": "Banque Exemple France",
     "languages": ["fr", "en"], "time_zone": "Europe/Paris",
     "reserved_display_names": ["Support", "Conseiller", "Banque Exemple"]},
    {"id": "it", "display_name": "Banca Esempio Italia",
     "languages": ["it", "en"], "time_zone": "Europe/Rome",
     "reserved_display_names": ["Supporto", "Banca Esempio"]}
  ],
  "members": [
    {"tenant": "fr", "email": "admin@banque-exemple.fr",
     "display_name": "Admin France", "roles": ["tenant_admin"],
     "trust_level": 4},
    {"tenant": "fr", "email": "alice@example.fr",
     "display_name": "Alice Martin", "trust_level": 2},
    {"tenant": "it", "email": "giulia@example.it",
     "display_name": "Giulia", "trust_level": 2}
  ]
})";

// The decoded JSON header of a compact JWS (null JSON if malformed).
nlohmann::json HeaderOf(const std::string& token) {
  const std::vector<std::string> parts = absl::StrSplit(token, '.');
  if (parts.size() != 3) return nullptr;
  absl::StatusOr<std::string> header = auth::Base64UrlDecode(parts[0]);
  if (!header.ok()) return nullptr;
  return nlohmann::json::parse(*header, nullptr, false);
}

std::unique_ptr<grpc::ClientContext> Call(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

class IdentityServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    const std::string dir =
        ::testing::TempDir() + "/identity-grpc-" + testing::RandomName() + "-";
    kek_path_ = dir + "kek";
    std::ofstream(kek_path_) << testing::RandomName(64);
    seed_path_ = dir + "seed.json";
    std::ofstream(seed_path_) << kSeed;
    password_path_ = dir + "password";
    std::ofstream(password_path_) << kSeedPassword << "\n";

    // The operator command deploy/up runs: migrates, creates the first
    // signing key, inserts tenants and members.
    std::vector<std::string> seed = CommonFlags();
    seed.push_back(absl::StrCat("--seed_file=", seed_path_));
    seed.push_back(absl::StrCat("--seed_password=file:", password_path_));
    seed.push_back("seed");
    absl::StatusOr<testing::ChildProcess> seeding =
        testing::ChildProcess::Start(seed);
    ASSERT_TRUE(seeding.ok()) << seeding.status();
    ASSERT_EQ(seeding->WaitExit(absl::Seconds(60)), 0) << "seed failed";

    port_ = testing::FreePort();
    std::vector<std::string> serve = CommonFlags();
    serve.push_back(absl::StrCat("--listen=127.0.0.1:", port_));
    serve.push_back("--metrics_port=-1");
    // Long enough to see NOT_SERVING during the drain after SIGTERM.
    serve.push_back("--drain_grace=1s");
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start(serve);
    ASSERT_TRUE(process.ok()) << process.status();
    process_.emplace(*std::move(process));
    ASSERT_TRUE(testing::WaitForPort(port_, absl::Seconds(60)));
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::IdentityService::NewStub(channel_);
    ASSERT_TRUE(testing::WaitForHealth(channel_, HealthStatus::SERVING,
                                       absl::Seconds(30)))
        << "never SERVING";
  }

  void TearDown() override {
    for (const std::string& path : {kek_path_, seed_path_, password_path_}) {
      std::remove(path.c_str());
    }
  }

  std::vector<std::string> CommonFlags() const {
    return {AGORA_IDENTITY_BINARY,
            absl::StrCat("--pg_url=", db_->url()),
            absl::StrCat("--redis_address=", testing::RedisAddress()),
            absl::StrCat("--redis_key_prefix=", redis_.prefix()),
            absl::StrCat("--key_encryption_key=file:", kek_path_),
            absl::StrCat("--token_issuer=", kIssuer),
            absl::StrCat("--token_audience=", kAudience),
            "--log_level=warn"};
  }

  grpc::Status Login(const std::string& tenant, const std::string& email,
                     const std::string& password, v1::Session* session) {
    v1::LoginRequest request;
    request.set_tenant("tenants/" + tenant);
    request.set_email(email);
    request.set_password(password);
    return stub_->Login(Call().get(), request, session);
  }

  v1::Session MustLogin(const std::string& tenant, const std::string& email,
                        const std::string& password = kSeedPassword) {
    v1::Session session;
    const grpc::Status status = Login(tenant, email, password, &session);
    EXPECT_TRUE(status.ok()) << email << ": " << status.error_message();
    return session;
  }

  grpc::Status GetMember(const std::string& token, const std::string& name,
                         v1::Member* member = nullptr) {
    v1::GetMemberRequest request;
    request.set_name(name);
    v1::Member ignored;
    return stub_->GetMember(Call(token).get(), request,
                            member != nullptr ? member : &ignored);
  }

  grpc::Status Refresh(const std::string& refresh_token, v1::Session* session) {
    v1::RefreshSessionRequest request;
    request.set_tenant("tenants/fr");
    request.set_refresh_token(refresh_token);
    return stub_->RefreshSession(Call().get(), request, session);
  }

  v1::Jwks Jwks() {
    v1::Jwks jwks;
    const grpc::Status status =
        stub_->GetJwks(Call().get(), v1::GetJwksRequest(), &jwks);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return jwks;
  }

  // What another Agora service does: trusts the published keys, nothing else.
  std::unique_ptr<auth::JwtVerifier> VerifierOfPublishedKeys() {
    auth::KeySet keys;
    const v1::Jwks jwks = Jwks();
    for (const v1::Jwk& jwk : jwks.keys()) {
      EXPECT_EQ(jwk.kty(), "OKP");
      EXPECT_EQ(jwk.crv(), "Ed25519");
      EXPECT_EQ(jwk.alg(), "EdDSA");
      absl::StatusOr<std::string> raw = auth::Base64UrlDecode(jwk.x());
      EXPECT_TRUE(raw.ok()) << raw.status();
      absl::StatusOr<auth::Ed25519PublicKey> key =
          auth::Ed25519PublicKey::FromRaw(raw.value_or(""));
      EXPECT_TRUE(key.ok()) << key.status();
      if (key.ok()) {
        EXPECT_TRUE(keys.Add(jwk.kid(), *key).ok());
      }
    }
    auth::JwtVerifierOptions options;
    options.issuer = kIssuer;
    options.audience = kAudience;
    return std::make_unique<auth::JwtVerifier>(
        options, std::make_shared<auth::StaticKeySource>(std::move(keys)));
  }

  // The token of the newest email_verification_requested event in the
  // outbox (what the mail sender would e-mail).
  std::string VerificationToken(const std::string& member_name) {
    pqxx::connection connection(db_->url());
    pqxx::work tx(connection);
    const pqxx::result rows = tx.exec(
        "SELECT encode(payload, 'base64') FROM identity.outbox"
        " WHERE event_type = 'email_verification_requested'"
        " ORDER BY id DESC LIMIT 1");
    if (rows.empty()) return "";
    std::string bytes;
    EXPECT_TRUE(absl::Base64Unescape(rows[0][0].as<std::string>(), &bytes));
    events::v1::Event event;
    EXPECT_TRUE(event.ParseFromString(bytes));
    EXPECT_EQ(event.email_verification_requested().member(), member_name);
    return event.email_verification_requested().token();
  }

  testing::TestRedis redis_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::string kek_path_;
  std::string seed_path_;
  std::string password_path_;
  int port_ = 0;
  std::optional<testing::ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IdentityService::Stub> stub_;
};

TEST_F(IdentityServiceTest,
       SignUpVerifyLoginGivesAnEd25519TokenOfAPublishedKey) {
  v1::SignUpRequest sign_up;
  sign_up.set_parent("tenants/fr");
  sign_up.set_email("zoe@example.fr");
  sign_up.set_password(kPassword);
  sign_up.set_display_name("Zoé Durand");
  sign_up.set_terms_version("v1");
  v1::Member member;
  grpc::Status status = stub_->SignUp(Call().get(), sign_up, &member);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(member.state(), v1::Member::STATE_PENDING_VERIFICATION);
  EXPECT_TRUE(absl::StartsWith(member.name(), "tenants/fr/members/"));

  v1::Session session;
  status = Login("fr", "zoe@example.fr", kPassword, &session);
  EXPECT_EQ(status.error_code(), StatusCode::FAILED_PRECONDITION)
      << "an unverified address cannot sign in";

  v1::VerifyEmailRequest verify;
  verify.set_tenant("tenants/fr");
  verify.set_token(VerificationToken(member.name()));
  ASSERT_FALSE(verify.token().empty());
  v1::Session verified;
  status = stub_->VerifyEmail(Call().get(), verify, &verified);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(verified.member().state(), v1::Member::STATE_ACTIVE);

  status = Login("fr", "ZOE@example.fr", kPassword, &session);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(session.token_type(), "Bearer");
  EXPECT_EQ(session.member().name(), member.name());
  EXPECT_FALSE(session.refresh_token().empty());

  const nlohmann::json header = HeaderOf(session.access_token());
  ASSERT_TRUE(header.is_object()) << session.access_token();
  EXPECT_EQ(header.value("alg", ""), "EdDSA");
  const std::string kid = header.value("kid", "");
  const v1::Jwks jwks = Jwks();
  ASSERT_GE(jwks.keys_size(), 1);
  EXPECT_EQ(jwks.keys(0).kid(), kid) << "the current key comes first";

  absl::StatusOr<auth::Claims> claims =
      VerifierOfPublishedKeys()->Verify(session.access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->issuer, kIssuer);
  EXPECT_EQ("tenants/fr/members/" + claims->subject, member.name());
  EXPECT_EQ(claims->tenant, "fr");
  EXPECT_EQ(claims->roles, std::vector<std::string>{auth::kRoleMember});
  EXPECT_LE(claims->expires_at - absl::Now(), absl::Minutes(15));

  v1::Member me;
  status = GetMember(session.access_token(), "tenants/fr/members/me", &me);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(me.name(), member.name());
  EXPECT_EQ(me.email(), "zoe@example.fr");
}

// The seed announces its tenants and members as identity's events (content,
// ranking and share keep their views of them from these), on every run, so a
// service deployed after the seed learns them too.
TEST_F(IdentityServiceTest, SeedAnnouncesTenantsAndMembersOnEveryRun) {
  const auto announced = [&] {
    pqxx::connection connection(db_->url());
    pqxx::nontransaction read(connection);
    std::map<std::string, std::vector<std::string>> subjects;
    for (const pqxx::row& row : read.exec(
             "SELECT event_type, payload FROM identity.outbox ORDER BY id")) {
      events::v1::Event event;
      event.ParseFromString(pqxx::binarystring(row[1]).str());
      if (event.has_tenant_created()) {
        subjects["tenant_created"].push_back(
            event.tenant_created().tenant() + " " +
            event.tenant_created().time_zone());
      } else if (event.has_member_registered()) {
        subjects["member_registered"].push_back(
            event.member_registered().display_name());
      }
    }
    return subjects;
  };
  std::map<std::string, std::vector<std::string>> first = announced();
  EXPECT_EQ(first["tenant_created"],
            (std::vector<std::string>{"tenants/fr Europe/Paris",
                                      "tenants/it Europe/Rome"}));
  EXPECT_EQ(
      first["member_registered"],
      (std::vector<std::string>{"Admin France", "Alice Martin", "Giulia"}));
  // Again: the same facts announced once more (consumers upsert them).
  std::vector<std::string> seed = CommonFlags();
  seed.push_back(absl::StrCat("--seed_file=", seed_path_));
  seed.push_back(absl::StrCat("--seed_password=file:", password_path_));
  seed.push_back("seed");
  absl::StatusOr<testing::ChildProcess> again =
      testing::ChildProcess::Start(seed);
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_EQ(again->WaitExit(absl::Seconds(60)), 0);
  std::map<std::string, std::vector<std::string>> second = announced();
  EXPECT_EQ(second["tenant_created"].size(), 4u);
  EXPECT_EQ(second["member_registered"].size(), 6u);
}

TEST_F(IdentityServiceTest, GetMemberNeedsAGenuineTokenOfTheTenant) {
  const v1::Session alice = MustLogin("fr", "alice@example.fr");
  ASSERT_TRUE(GetMember(alice.access_token(), "tenants/fr/members/me").ok());

  grpc::Status status = GetMember("", "tenants/fr/members/me");
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "missing bearer token");
  EXPECT_EQ(GetMember("not-a-token", "tenants/fr/members/me").error_code(),
            StatusCode::UNAUTHENTICATED);

  // Claims identity would sign for Alice, signed by a key it never published:
  // once under the forger's own kid, once under identity's current kid.
  absl::StatusOr<auth::Claims> claims =
      VerifierOfPublishedKeys()->Verify(alice.access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  absl::StatusOr<auth::Ed25519PrivateKey> other =
      auth::Ed25519PrivateKey::Generate();
  ASSERT_TRUE(other.ok());
  absl::StatusOr<std::string> payload = auth::EncodeClaims(*claims);
  ASSERT_TRUE(payload.ok());
  const std::string forged_header = auth::Base64UrlEncode(nlohmann::json{
      {"alg", "EdDSA"},
      {"typ", "JWT"},
      {"kid",
       HeaderOf(alice.access_token()).value("kid", "")}}.dump());
  const std::string signing_input =
      absl::StrCat(forged_header, ".", auth::Base64UrlEncode(*payload));
  absl::StatusOr<std::string> signature = other->Sign(signing_input);
  ASSERT_TRUE(signature.ok());
  const std::string same_kid =
      absl::StrCat(signing_input, ".", auth::Base64UrlEncode(*signature));
  auth::JwtSigner signer(*std::move(other));
  absl::StatusOr<std::string> own_kid = signer.Sign(*claims);
  ASSERT_TRUE(own_kid.ok());
  for (const std::string& forged : {same_kid, *own_kid}) {
    status = GetMember(forged, "tenants/fr/members/me");
    EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED)
        << status.error_message();
  }

  // Another tenant's member: Giulia may read herself, Alice may not read her.
  const v1::Session giulia = MustLogin("it", "giulia@example.it");
  ASSERT_TRUE(GetMember(giulia.access_token(), giulia.member().name()).ok());
  status = GetMember(alice.access_token(), giulia.member().name());
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
      << status.error_message();
  // Nor her own id under tenant it.
  const std::string alice_in_it =
      absl::StrCat("tenants/it/members/", claims->subject);
  EXPECT_EQ(GetMember(alice.access_token(), alice_in_it).error_code(),
            StatusCode::PERMISSION_DENIED);
}

TEST_F(IdentityServiceTest, BadInputIsInvalidArgumentNamingTheField) {
  v1::SignUpRequest request;
  request.set_parent("tenants/fr");
  request.set_email("frank@example.fr");
  request.set_password("short");
  request.set_display_name("Frank");
  request.set_terms_version("v1");
  v1::Member member;
  grpc::Status status = stub_->SignUp(Call().get(), request, &member);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "password:"))
      << status.error_message();

  request.set_password(kPassword);
  request.set_email("not-an-email");
  status = stub_->SignUp(Call().get(), request, &member);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "email:"))
      << status.error_message();

  v1::Session session;
  status = Login("fr", "alice@example.fr", kSeedPassword, &session);
  ASSERT_TRUE(status.ok()) << status.error_message();
  status = GetMember(session.access_token(), "tenants/fr/members/alice");
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "name:"))
      << status.error_message();

  v1::LoginRequest login;
  login.set_tenant("fr");  // not a resource name
  login.set_email("alice@example.fr");
  login.set_password(kSeedPassword);
  status = stub_->Login(Call().get(), login, &session);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(status.error_message(), "tenant:"))
      << status.error_message();
}

TEST_F(IdentityServiceTest, WrongPasswordCarriesErrorInfoInTheStatusDetails) {
  v1::Session session;
  const grpc::Status wrong =
      Login("fr", "alice@example.fr", "not the password at all", &session);
  ASSERT_EQ(wrong.error_code(), StatusCode::UNAUTHENTICATED);
  ASSERT_FALSE(wrong.error_details().empty())
      << "no grpc-status-details-bin on the wire";
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(wrong.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(details.message(), wrong.error_message());
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info))
      << details.details(0).type_url();
  EXPECT_EQ(info.reason(), "INVALID_CREDENTIALS");
  EXPECT_EQ(info.domain(), "agora.community");
  EXPECT_EQ(wrong.error_message().find("not the password"), std::string::npos);

  // An unknown address answers exactly the same: nothing to enumerate.
  const grpc::Status unknown =
      Login("fr", "nobody@example.fr", "not the password at all", &session);
  EXPECT_EQ(unknown.error_code(), wrong.error_code());
  EXPECT_EQ(unknown.error_message(), wrong.error_message());
  EXPECT_EQ(unknown.error_details(), wrong.error_details());
}

TEST_F(IdentityServiceTest, ServiceAccountTokenCarriesItsScopes) {
  const v1::Session admin = MustLogin("fr", "admin@banque-exemple.fr");
  const v1::Session alice = MustLogin("fr", "alice@example.fr");

  v1::CreateServiceAccountRequest create;
  create.set_parent("tenants/fr");
  create.set_service_account_id("crm");
  create.mutable_service_account()->set_display_name("CRM");
  create.mutable_service_account()->add_scopes("content.read");
  create.mutable_service_account()->add_scopes("identity.read");
  v1::ServiceAccount account;
  grpc::Status status = stub_->CreateServiceAccount(
      Call(alice.access_token()).get(), create, &account);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED)
      << "a member is no tenant admin";
  status = stub_->CreateServiceAccount(Call(admin.access_token()).get(), create,
                                       &account);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(account.name(), "tenants/fr/serviceAccounts/crm");

  v1::CreateServiceAccountSecretRequest new_secret;
  new_secret.set_parent(account.name());
  v1::ServiceAccountSecret secret;
  status = stub_->CreateServiceAccountSecret(Call(admin.access_token()).get(),
                                             new_secret, &secret);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_FALSE(secret.secret().empty());

  // Client credentials, narrowed to one of the account's scopes.
  v1::IssueServiceAccountTokenRequest issue;
  issue.set_service_account(account.name());
  issue.set_client_secret(secret.secret());
  issue.add_scopes("identity.read");
  v1::ServiceAccountToken token;
  status = stub_->IssueServiceAccountToken(Call().get(), issue, &token);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(token.token_type(), "Bearer");
  EXPECT_EQ(
      std::vector<std::string>(token.scopes().begin(), token.scopes().end()),
      std::vector<std::string>{"identity.read"});
  absl::StatusOr<auth::Claims> claims =
      VerifierOfPublishedKeys()->Verify(token.access_token());
  ASSERT_TRUE(claims.ok()) << claims.status();
  EXPECT_EQ(claims->subject, account.name());
  EXPECT_EQ(claims->tenant, "fr");
  EXPECT_EQ(claims->roles, std::vector<std::string>{auth::kRoleService});
  EXPECT_EQ(claims->scopes, std::vector<std::string>{"identity.read"});

  // The scope is what lets the service read a member; without it, no.
  EXPECT_TRUE(GetMember(token.access_token(), alice.member().name()).ok());
  issue.clear_scopes();
  issue.add_scopes("content.read");
  v1::ServiceAccountToken content_only;
  ASSERT_TRUE(
      stub_->IssueServiceAccountToken(Call().get(), issue, &content_only).ok());
  EXPECT_EQ(GetMember(content_only.access_token(), alice.member().name())
                .error_code(),
            StatusCode::PERMISSION_DENIED);

  issue.set_client_secret(secret.secret() + "x");
  status = stub_->IssueServiceAccountToken(Call().get(), issue, &token);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
}

TEST_F(IdentityServiceTest, ReusingARefreshTokenRevokesItsFamily) {
  const v1::Session first = MustLogin("fr", "alice@example.fr");
  v1::Session second;
  grpc::Status status = Refresh(first.refresh_token(), &second);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_NE(second.refresh_token(), first.refresh_token());
  EXPECT_FALSE(second.access_token().empty());

  // The used token again, as a thief holding a copy would present it.
  v1::Session replayed;
  status = Refresh(first.refresh_token(), &replayed);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(status.error_details()));
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "REFRESH_TOKEN_REUSED");
  // The whole family is gone: the newest token, the owner's, fails too.
  EXPECT_EQ(Refresh(second.refresh_token(), &replayed).error_code(),
            StatusCode::UNAUTHENTICATED);
  // Another session of the same member is another family and lives on.
  const v1::Session other = MustLogin("fr", "alice@example.fr");
  EXPECT_TRUE(Refresh(other.refresh_token(), &replayed).ok());
}

TEST_F(IdentityServiceTest, SigtermReportsNotServingThenExitsZero) {
  ASSERT_TRUE(process_->Signal(SIGTERM));
  // The health service turns NOT_SERVING before the drain ends, so load
  // balancers stop sending calls while the in-flight ones finish.
  bool not_serving = false;
  for (int i = 0; i < 50 && !not_serving; ++i) {
    not_serving = testing::HealthOf(channel_) == HealthStatus::NOT_SERVING;
    if (!not_serving) absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_TRUE(not_serving);
  EXPECT_EQ(process_->WaitExit(absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace agora::identity
