// The agora-moderation binary as deployed: started as a process (it applies
// its migrations, checks PostgreSQL and Redis), called over gRPC with real
// Ed25519 tokens verified against the JWKS file it is given.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "agora/moderation/v1/moderation.grpc.pb.h"
#include "health/v1/health.grpc.pb.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/roles.h"
#include "tests/harness/child_process.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::moderation {
namespace {

namespace common = agora::common::v1;

class ModerationServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    absl::StatusOr<auth::Ed25519PrivateKey> key =
        auth::Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    auth::KeySet keys;
    ASSERT_TRUE(keys.Add(key->public_key()).ok());
    jwks_path_ =
        ::testing::TempDir() + "/jwks-" + testing::RandomName() + ".json";
    std::ofstream(jwks_path_) << auth::ToJwks(keys);
    signer_ = std::make_unique<auth::JwtSigner>(*std::move(key));

    port_ = testing::FreePort();
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start({
            AGORA_MODERATION_BINARY,
            absl::StrCat("--listen=127.0.0.1:", port_),
            "--metrics_port=-1",
            absl::StrCat("--pg_url=", db_->url()),
            absl::StrCat("--redis_address=", testing::RedisAddress()),
            absl::StrCat("--redis_key_prefix=", redis_.prefix()),
            absl::StrCat("--jwks_file=", jwks_path_),
            "--bank_domains=banque-exemple.fr",
            "--drain_grace=100ms",
            "--log_level=warn",
        });
    ASSERT_TRUE(process.ok()) << process.status();
    process_.emplace(*std::move(process));
    ASSERT_TRUE(testing::WaitForPort(port_, absl::Seconds(30)));
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ModerationService::NewStub(channel_);
  }

  void TearDown() override { std::remove(jwks_path_.c_str()); }

  std::string Token(const std::string& tenant, const std::string& subject,
                    std::vector<std::string> roles,
                    std::vector<std::string> scopes = {}) {
    auth::Claims claims;
    claims.issuer = "agora-identity";
    claims.audience = {"agora"};
    claims.subject = subject;
    claims.tenant = tenant;
    claims.roles = std::move(roles);
    claims.scopes = std::move(scopes);
    claims.trust_level = 2;
    claims.expires_at = absl::Now() + absl::Minutes(5);
    return *signer_->Sign(claims);
  }

  grpc::Status Screen(const std::string& token,
                      const v1::ScreenRequest& request,
                      v1::Screening* screening) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return stub_->Screen(&context, request, screening);
  }

  v1::ScreenRequest Request(const std::string& body) {
    v1::ScreenRequest request;
    request.set_parent("tenants/fr");
    request.mutable_target()->set_name("tenants/fr/posts/42");
    request.set_author("tenants/fr/members/m-1");
    request.set_author_trust_level(common::TRUST_LEVEL_MEMBER);
    request.set_language("fr");
    request.set_body(body);
    return request;
  }

  testing::TestRedis redis_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::string jwks_path_;
  std::unique_ptr<auth::JwtSigner> signer_;
  int port_ = 0;
  std::optional<testing::ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ModerationService::Stub> stub_;
};

TEST_F(ModerationServiceTest, ServesAfterMigratingAndScreensWithAServiceToken) {
  grpc::ClientContext health_context;
  health_context.set_wait_for_ready(true);
  health_context.set_deadline(
      absl::ToChronoTime(absl::Now() + absl::Seconds(10)));
  grpc::health::v1::HealthCheckResponse health;
  ASSERT_TRUE(grpc::health::v1::Health::NewStub(channel_)
                  ->Check(&health_context,
                          grpc::health::v1::HealthCheckRequest(), &health)
                  .ok());
  v1::Screening screening;
  const std::string content =
      Token("fr", "content", {auth::kRoleService}, {"moderation.screen"});
  grpc::Status status = Screen(
      content,
      Request("Appelez-moi au 06 12 34 56 78 ou écrivez à a.b@example.org"),
      &screening);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(screening.masked_body().find("06 12 34 56 78"), std::string::npos)
      << screening.masked_body();
  EXPECT_EQ(screening.masked_body().find("a.b@example.org"), std::string::npos);
  EXPECT_FALSE(screening.name().empty());
}

TEST_F(ModerationServiceTest, EveryCallChecksTokenTenantAndRole) {
  ASSERT_TRUE(testing::WaitForPort(port_, absl::Seconds(10)));
  v1::Screening screening;
  EXPECT_EQ(Screen("", Request("Bonjour"), &screening).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Screen("not-a-token", Request("Bonjour"), &screening).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Screen(Token("fr", "m-1", {auth::kRoleMember}), Request("Bonjour"),
                   &screening)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Screen(Token("it", "content", {auth::kRoleService},
                         {"moderation.screen"}),
                   Request("Bonjour"), &screening)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  grpc::Status bad = Screen(
      Token("fr", "content", {auth::kRoleService}, {"moderation.screen"}),
      Request(std::string(40001, 'x')), &screening);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(bad.error_message(), "body: at most 40000 characters");

  grpc::ClientContext context;
  context.AddMetadata("authorization",
                      "Bearer " + Token("it", "mod", {auth::kRoleModerator}));
  v1::ListQueueItemsRequest list;
  list.set_parent("tenants/fr");
  v1::ListQueueItemsResponse page;
  EXPECT_EQ(stub_->ListQueueItems(&context, list, &page).error_code(),
            grpc::StatusCode::PERMISSION_DENIED)
      << "a moderator of it cannot see the queue of fr";
}

}  // namespace
}  // namespace agora::moderation
