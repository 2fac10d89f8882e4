// The agora-share binary as deployed: started as a process (it applies its
// migrations into schema "share"), fed the way it is in production —
// tenants on identity's Redis stream, posts on content's, entries written
// exactly as the outbox relay writes them — and called over gRPC with real
// Ed25519 tokens verified against the JWKS file it is given. Clicks reach
// PostgreSQL through its flusher (periodically, and on SIGTERM) and its
// events reach share's own stream through its relay.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "agora/events/v1/events.pb.h"
#include "agora/share/v1/share.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/key_set.h"
#include "libs/auth/roles.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "tests/harness/child_process.h"
#include "tests/harness/health_probe.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::share {
namespace {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

constexpr char kIssuer[] = "agora-share-grpc-test";
constexpr char kAudience[] = "agora";
// Generous for a sanitizer build on a shared machine; polls end as soon as
// the condition holds.
constexpr absl::Duration kPatience = absl::Seconds(30);

bool Eventually(const std::function<bool()>& done,
                absl::Duration timeout = kPatience) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(50));
  }
  return true;
}

std::unique_ptr<grpc::ClientContext> Call(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

std::string NewUuid() {
  absl::BitGen random;
  const uint64_t high =
      (absl::Uniform<uint64_t>(random) & ~uint64_t{0xf000}) | 0x4000;
  const uint64_t low =
      (absl::Uniform<uint64_t>(random) >> 2) | (uint64_t{1} << 63);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32,
                         (high >> 16) & 0xffff, high & 0xffff, low >> 48,
                         low & 0xffffffffffffULL);
}

std::string PayloadType(const ev::Event& event) {
  const google::protobuf::OneofDescriptor* payload =
      event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* field =
      event.GetReflection()->GetOneofFieldDescriptor(event, payload);
  return field == nullptr ? "" : field->name();
}

std::string PostName(const std::string& id) { return "tenants/fr/posts/" + id; }

class ShareServiceTest : public ::testing::Test {
 protected:
  // How often the service flushes clicks (the shutdown test wants never).
  virtual std::string FlushInterval() const { return "200ms"; }

  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    absl::StatusOr<auth::Ed25519PrivateKey> key =
        auth::Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    auth::KeySet keys;
    ASSERT_TRUE(keys.Add(key->public_key()).ok());
    jwks_path_ = ::testing::TempDir() + "/share-grpc-jwks-" +
                 testing::RandomName() + ".json";
    std::ofstream(jwks_path_) << auth::ToJwks(keys);
    signer_ = std::make_unique<auth::JwtSigner>(*std::move(key));
    producer_redis_ = std::make_unique<redis::RedisClient>(redis_.options());

    port_ = testing::FreePort();
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start(
            {AGORA_SHARE_BINARY, absl::StrCat("--pg_url=", db_->url()),
             absl::StrCat("--redis_address=", testing::RedisAddress()),
             absl::StrCat("--redis_key_prefix=", redis_.prefix()),
             absl::StrCat("--jwks_file=", jwks_path_),
             absl::StrCat("--token_issuer=", kIssuer),
             absl::StrCat("--token_audience=", kAudience),
             absl::StrCat("--listen=127.0.0.1:", port_), "--metrics_port=-1",
             absl::StrCat("--flush_interval=", FlushInterval()),
             "--settings_ttl=0s", "--drain_grace=1s", "--log_level=warn"});
    ASSERT_TRUE(process.ok()) << process.status();
    process_.emplace(*std::move(process));
    ASSERT_TRUE(testing::WaitForPort(port_, absl::Seconds(60)))
        << "agora-share did not listen";
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::ShareService::NewStub(channel_);
    ASSERT_TRUE(testing::WaitForHealth(channel_, HealthStatus::SERVING,
                                       absl::Seconds(30)))
        << "never SERVING";
    Seed();
  }

  void TearDown() override { std::remove(jwks_path_.c_str()); }

  std::string Token(const std::string& tenant, const std::string& subject,
                    std::vector<std::string> roles = {auth::kRoleMember},
                    std::vector<std::string> scopes = {}) {
    auth::Claims claims;
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.subject = subject;
    claims.tenant = tenant;
    claims.roles = std::move(roles);
    claims.scopes = std::move(scopes);
    claims.trust_level = auth::kTrustLevelMember;
    claims.expires_at = absl::Now() + absl::Minutes(10);
    absl::StatusOr<std::string> token = signer_->Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }
  std::string GatewayToken() {
    return Token("fr", "gateway", {auth::kRoleService}, {"share.resolve"});
  }
  std::string AdminToken() {
    return Token("fr", "admin", {auth::kRoleMember, auth::kRoleTenantAdmin});
  }

  ev::Event NewEvent(ev::Producer producer, const std::string& subject) {
    ev::Event event;
    event.set_id(NewUuid());
    event.set_tenant("tenants/fr");
    *event.mutable_occur_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    event.mutable_actor()->set_type(common::ACTOR_TYPE_SYSTEM);
    event.set_producer(producer);
    event.set_subject(subject);
    return event;
  }

  // Appends `event` to `producer`'s stream as OutboxRelay writes entries.
  void PublishOn(const std::string& producer, const ev::Event& event) {
    std::string payload;
    ASSERT_TRUE(event.SerializeToString(&payload));
    absl::StatusOr<redis::Reply> added = producer_redis_->Run(
        {"XADD", StreamOf(producer), "MAXLEN", "~", "100000", "*", "event_id",
         event.id(), "tenant", event.tenant(), "type", PayloadType(event),
         "payload", payload});
    ASSERT_TRUE(added.ok()) << added.status();
    ASSERT_FALSE(added->is_error()) << added->text;
  }

  std::string StreamOf(const std::string& producer) const {
    return redis::KeyBuilder(redis_.prefix()).SharedKey("events", {producer});
  }

  void PublishPost(const std::string& id, const std::string& title) {
    ev::Event event = NewEvent(ev::PRODUCER_CONTENT, PostName(id));
    ev::PostPublished* post = event.mutable_post_published();
    post->mutable_post()->set_kind(common::CONTENT_KIND_QUESTION);
    post->mutable_post()->set_name(PostName(id));
    post->set_space("tenants/fr/spaces/aide");
    post->set_author("tenants/fr/members/author");
    post->set_title(title);
    post->set_excerpt("Bonjour, je voudrais savoir…");
    post->set_language("fr");
    *post->mutable_publish_time() =
        TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
    PublishOn("content", event);
  }

  void HidePost(const std::string& id) {
    ev::Event event = NewEvent(ev::PRODUCER_CONTENT, PostName(id));
    event.mutable_post_hidden()->mutable_post()->set_name(PostName(id));
    event.mutable_post_hidden()->set_decision("tenants/fr/decisions/d-1");
    PublishOn("content", event);
  }

  // Tenant fr (identity's stream), its settings (its admin, over gRPC),
  // and a published question (content's stream), applied by the service.
  void Seed() {
    ev::Event tenant = NewEvent(ev::PRODUCER_IDENTITY, "tenants/fr");
    tenant.mutable_tenant_created()->set_tenant("tenants/fr");
    tenant.mutable_tenant_created()->set_time_zone("Europe/Paris");
    PublishOn("identity", tenant);
    ASSERT_TRUE(Eventually([&] {
      v1::GetShareSettingsRequest request;
      request.set_name("tenants/fr/shareSettings");
      v1::ShareSettings settings;
      return stub_->GetShareSettings(Call().get(), request, &settings).ok();
    })) << "tenant_created never applied";

    v1::UpdateShareSettingsRequest update;
    v1::ShareSettings* settings = update.mutable_share_settings();
    settings->set_name("tenants/fr/shareSettings");
    settings->add_allowed_target_hosts("communaute.banque.example");
    settings->set_public_base_url("https://communaute.banque.example");
    settings->set_short_link_base_url("https://bq.example");
    settings->set_unavailable_page_url(
        "https://communaute.banque.example/indisponible");
    for (const char* path : {"allowed_target_hosts", "public_base_url",
                             "short_link_base_url", "unavailable_page_url"}) {
      update.mutable_update_mask()->add_paths(path);
    }
    v1::ShareSettings updated;
    const grpc::Status status =
        stub_->UpdateShareSettings(Call(AdminToken()).get(), update, &updated);
    ASSERT_TRUE(status.ok()) << status.error_message();

    PublishPost("q1", "Carte bloquée à l’étranger : que faire ?");
    ASSERT_TRUE(Eventually([&] { return CreateLinks("ana").ok(); }))
        << "post_published never applied";
  }

  grpc::Status CreateLinks(const std::string& member,
                           v1::CreateShareLinksResponse* response = nullptr) {
    v1::CreateShareLinksRequest request;
    request.set_post(PostName("q1"));
    v1::CreateShareLinksResponse ignored;
    return stub_->CreateShareLinks(Call(Token("fr", member)).get(), request,
                                   response != nullptr ? response : &ignored);
  }

  grpc::Status Resolve(const std::string& token, const std::string& code,
                       const std::string& visitor,
                       v1::ResolveShortLinkResponse* response = nullptr) {
    v1::ResolveShortLinkRequest request;
    request.set_name("tenants/fr/shortLinks/" + code);
    request.set_visitor_key(visitor);
    request.set_user_agent("Mozilla/5.0 (Android 14) Firefox/120.0");
    v1::ResolveShortLinkResponse ignored;
    return stub_->ResolveShortLink(Call(token).get(), request,
                                   response != nullptr ? response : &ignored);
  }

  int64_t ClicksInDatabase(const std::string& code) {
    pqxx::connection connection(db_->url());
    pqxx::work tx(connection);
    return tx
        .exec_params1("SELECT clicks FROM share.short_links WHERE code = $1",
                      code)[0]
        .as<int64_t>();
  }

  std::unique_ptr<testing::TestDatabase> db_;
  testing::TestRedis redis_;
  std::string jwks_path_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<redis::RedisClient> producer_redis_;
  int port_ = 0;
  std::optional<testing::ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::ShareService::Stub> stub_;
};

TEST_F(ShareServiceTest, ShareResolveAndCountEndToEnd) {
  v1::CreateShareLinksResponse links;
  ASSERT_TRUE(CreateLinks("ana", &links).ok());
  ASSERT_EQ(links.share_links_size(), 7);
  const v1::ShareLink& x = links.share_links(1);
  EXPECT_EQ(x.network(), common::SHARE_NETWORK_X);
  EXPECT_EQ(x.share_url(),
            "https://x.com/intent/tweet?text=Carte%20bloqu%C3%A9e%20%C3%A0%20"
            "l%E2%80%99%C3%A9tranger%20%3A%20que%20faire%20%3F&url=https%3A%2F"
            "%2Fbq.example%2Fs%2F" +
                x.short_link().code());
  const std::string code = x.short_link().code();

  v1::ResolveShortLinkResponse resolved;
  for (const char* visitor :
       {"cookie-0000000001", "cookie-0000000002", "cookie-0000000001"}) {
    const grpc::Status status =
        Resolve(GatewayToken(), code, visitor, &resolved);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  EXPECT_TRUE(resolved.available());
  EXPECT_EQ(resolved.redirect_url(),
            "https://communaute.banque.example/posts/q1?utm_source=x"
            "&utm_medium=social&utm_campaign=agora");
  EXPECT_EQ(resolved.preview().title(),
            "Carte bloquée à l’étranger : que faire ?");

  // The flusher carries the clicks to PostgreSQL on its own.
  v1::ShortLink link;
  ASSERT_TRUE(Eventually([&] {
    v1::GetShortLinkRequest request;
    request.set_name("tenants/fr/shortLinks/" + code);
    return stub_->GetShortLink(Call(Token("fr", "ana")).get(), request, &link)
               .ok() &&
           link.clicks() == 3;
  })) << "clicks never flushed: "
      << link.DebugString();
  EXPECT_EQ(link.unique_visitors(), 2);
  EXPECT_EQ(link.sharer(), "tenants/fr/members/ana");

  // ... and the relay its events to share's stream, where ranking reads
  // them.
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<redis::Reply> length =
        producer_redis_->Run({"XLEN", StreamOf("share")});
    return length.ok() && length->integer >= 4;  // 3 clicks and 1 share
  })) << "events never published";

  v1::GetShareStatsRequest stats_request;
  stats_request.set_name("tenants/fr/posts/q1/shareStats");
  v1::ShareStats stats;
  ASSERT_TRUE(stub_->GetShareStats(Call().get(), stats_request, &stats).ok());
  EXPECT_EQ(stats.total().clicks(), 3);
  EXPECT_EQ(stats.total().shares(), 1);

  HidePost("q1");
  ASSERT_TRUE(Eventually([&] {
    return Resolve(GatewayToken(), code, "cookie-0000000003", &resolved).ok() &&
           !resolved.available();
  })) << "post_hidden never applied";
  EXPECT_EQ(resolved.redirect_url(),
            "https://communaute.banque.example/indisponible");
}

TEST_F(ShareServiceTest, RefusalsCarryTheirCodeAndField) {
  v1::CreateShareLinksResponse links;
  ASSERT_TRUE(CreateLinks("ana", &links).ok());
  const std::string code = links.share_links(0).short_link().code();
  EXPECT_EQ(Resolve("", code, "cookie-0000000001").error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(Resolve(Token("fr", "ana"), code, "cookie-0000000001").error_code(),
            StatusCode::PERMISSION_DENIED);
  grpc::Status bad = Resolve(GatewayToken(), "not-a-code", "cookie-0000000001");
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(bad.error_message(), "name:"))
      << bad.error_message();
  bad = Resolve(GatewayToken(), code, "short");
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(bad.error_message(), "visitor_key:"));
  EXPECT_EQ(
      Resolve(GatewayToken(), "Zzzzzzzzzz", "cookie-0000000001").error_code(),
      StatusCode::NOT_FOUND);

  v1::UpdateShareSettingsRequest update;
  update.mutable_share_settings()->set_name("tenants/fr/shareSettings");
  update.mutable_share_settings()->set_unavailable_page_url(
      "https://evil.example/");
  update.mutable_update_mask()->add_paths("unavailable_page_url");
  v1::ShareSettings ignored;
  const grpc::Status refused =
      stub_->UpdateShareSettings(Call(AdminToken()).get(), update, &ignored);
  ASSERT_EQ(refused.error_code(), StatusCode::INVALID_ARGUMENT);
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(refused.error_details()));
  google::rpc::ErrorInfo info;
  ASSERT_GT(details.details_size(), 0);
  ASSERT_TRUE(details.details(0).UnpackTo(&info));
  EXPECT_EQ(info.reason(), "HOST_NOT_ALLOWED");
  EXPECT_EQ(stub_
                ->UpdateShareSettings(Call(Token("fr", "ana")).get(), update,
                                      &ignored)
                .error_code(),
            StatusCode::PERMISSION_DENIED);
}

class ShareShutdownTest : public ShareServiceTest {
 protected:
  std::string FlushInterval() const override { return "1h"; }
};

TEST_F(ShareShutdownTest, SigtermFlushesTheLastClicksAndExitsZero) {
  v1::CreateShareLinksResponse links;
  ASSERT_TRUE(CreateLinks("ana", &links).ok());
  const std::string code = links.share_links(0).short_link().code();
  ASSERT_TRUE(Resolve(GatewayToken(), code, "cookie-0000000001").ok());
  ASSERT_TRUE(Resolve(GatewayToken(), code, "cookie-0000000002").ok());
  EXPECT_EQ(ClicksInDatabase(code), 0) << "no flush in the hour";
  ASSERT_TRUE(process_->Signal(SIGTERM));
  stub_.reset();
  channel_.reset();
  EXPECT_EQ(process_->WaitExit(absl::Seconds(20)), 0);
  EXPECT_EQ(ClicksInDatabase(code), 2) << "flushed on the way out";
}

}  // namespace
}  // namespace agora::share
