// A share domain on real PostgreSQL (its own database, migrated) and Redis
// (its own key prefix), with a clock the tests move, helpers to announce
// tenants and posts the way identity and content do (through the event
// handlers), to configure a tenant as its admin, to resolve codes as the
// gateway does and to read the outbox. share_grpc_test.cc goes through the
// binary.
#ifndef AGORA_TESTS_SERVICES_SHARE_SHARE_FIXTURE_H_
#define AGORA_TESTS_SERVICES_SHARE_SHARE_FIXTURE_H_

#include <gtest/gtest.h>

#include <memory>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/principal.h"
#include "libs/auth/roles.h"
#include "libs/events/schema.h"
#include "libs/events/typed_event.h"
#include "libs/idempotency/schema.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/redis/client.h"
#include "services/share/domain/click_flusher.h"
#include "services/share/domain/event_handlers.h"
#include "services/share/domain/resolve.h"
#include "services/share/domain/settings.h"
#include "services/share/domain/share_context.h"
#include "services/share/domain/share_links.h"
#include "services/share/repository/migrations.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"

namespace agora::share {

class ShareTest : public ::testing::Test {
 protected:
  // 2026-11-22 10:00 UTC: a fixed "now" the tests move by hand.
  static absl::Time Start() {
    return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0),
                           absl::UTCTimeZone());
  }

  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create(
        "share", {ShareMigrations(), events::OutboxMigrations(),
                  idempotency::IdempotencyMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 8});
    redis_ = std::make_unique<redis::RedisClient>(redis_namespace_.options());
    context_ = MakeContext(*redis_);
    AnnounceTenant("fr", "Europe/Paris");
    AnnounceTenant("pl", "Europe/Warsaw");
    AnnounceTenant("nl", "Europe/Amsterdam");
    for (const char* tenant : {"fr", "pl", "nl"}) Configure(tenant);
  }

  // A context over the test database and `redis` (another one can point at
  // a private Redis the test restarts).
  std::unique_ptr<ShareContext> MakeContext(redis::RedisClient& redis) {
    settings_.push_back(std::make_unique<SettingsCache>(
        *pool_, absl::ZeroDuration(), [this] { return now_; }));
    links_.push_back(std::make_unique<LinkCache>());
    auto context = std::make_unique<ShareContext>(
        ShareContext{.pool = *pool_,
                     .redis = redis,
                     .keys = redis::KeyBuilder(redis_namespace_.prefix()),
                     .settings = *settings_.back(),
                     .links = *links_.back(),
                     .visitor_secret = "share-test-secret"});
    context->now = [this] { return now_; };
    return context;
  }

  // The first column of the first row, as text ("" when there is none).
  template <typename... Args>
  std::string Query(const std::string& sql, const Args&... args) {
    std::string value;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  const pqxx::result rows = tx.exec_params(sql, args...);
                  if (!rows.empty() && !rows[0][0].is_null()) {
                    value = rows[0][0].as<std::string>();
                  }
                  return absl::OkStatus();
                }).ok());
    return value;
  }

  events::v1::Event NewEvent(const std::string& tenant,
                             events::v1::Producer producer) {
    common::v1::Actor system;
    system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
    return events::NewEvent(producer, tenant, system, "", now_);
  }

  void Apply(const events::v1::Event& event) {
    absl::Status applied =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          if (event.producer() == events::v1::PRODUCER_IDENTITY) {
            return ApplyIdentityEvent(*context_, tx, event);
          }
          return ApplyContentEvent(*context_, tx, event);
        });
    ASSERT_TRUE(applied.ok()) << applied;
  }

  void AnnounceTenant(const std::string& tenant, const std::string& zone) {
    events::v1::Event event = NewEvent(tenant, events::v1::PRODUCER_IDENTITY);
    event.mutable_tenant_created()->set_tenant("tenants/" + tenant);
    event.mutable_tenant_created()->set_time_zone(zone);
    Apply(event);
  }

  static std::string Host(const std::string& tenant) {
    return tenant + ".agora.example";
  }

  // The tenant's URLs on its own host, short links on agora.link.
  void Configure(const std::string& tenant) {
    v1::UpdateShareSettingsRequest request;
    v1::ShareSettings* settings = request.mutable_share_settings();
    settings->set_name(absl::StrCat("tenants/", tenant, "/shareSettings"));
    settings->add_allowed_target_hosts(Host(tenant));
    settings->set_public_base_url("https://" + Host(tenant));
    settings->set_short_link_base_url("https://agora.link");
    settings->set_unavailable_page_url(
        absl::StrCat("https://", Host(tenant), "/unavailable"));
    settings->set_default_preview_image_uri(
        absl::StrCat("https://", Host(tenant), "/og.png"));
    settings->set_site_name("Agora " + tenant);
    request.mutable_update_mask()->add_paths("allowed_target_hosts");
    request.mutable_update_mask()->add_paths("public_base_url");
    request.mutable_update_mask()->add_paths("short_link_base_url");
    request.mutable_update_mask()->add_paths("unavailable_page_url");
    request.mutable_update_mask()->add_paths("default_preview_image_uri");
    request.mutable_update_mask()->add_paths("site_name");
    absl::StatusOr<v1::ShareSettings> updated =
        UpdateShareSettings(*context_, Admin(tenant), request);
    ASSERT_TRUE(updated.ok()) << updated.status();
  }

  struct PostSpec {
    std::string tenant = "fr";
    std::string id;
    std::string title = "Une idée";
    std::string excerpt = "";
    std::string language = "fr";
    std::string author = "author";
    std::string round = "";  // "contest/round" for a contest entry
  };

  void Publish(const PostSpec& spec) {
    events::v1::Event event =
        NewEvent(spec.tenant, events::v1::PRODUCER_CONTENT);
    events::v1::PostPublished* post = event.mutable_post_published();
    post->mutable_post()->set_kind(common::v1::CONTENT_KIND_IDEA);
    post->mutable_post()->set_name(PostName(spec.tenant, spec.id));
    post->set_space(absl::StrCat("tenants/", spec.tenant, "/spaces/lab"));
    post->set_author(
        absl::StrCat("tenants/", spec.tenant, "/members/", spec.author));
    post->set_title(spec.title);
    post->set_excerpt(spec.excerpt);
    post->set_language(spec.language);
    if (!spec.round.empty()) {
      const size_t slash = spec.round.find('/');
      post->set_round(absl::StrCat("tenants/", spec.tenant, "/contests/",
                                   spec.round.substr(0, slash), "/rounds/",
                                   spec.round.substr(slash + 1)));
    }
    *post->mutable_publish_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(now_));
    Apply(event);
  }

  void Hide(const std::string& tenant, const std::string& id) {
    events::v1::Event event = NewEvent(tenant, events::v1::PRODUCER_CONTENT);
    event.mutable_post_hidden()->mutable_post()->set_name(PostName(tenant, id));
    Apply(event);
  }

  static std::string PostName(const std::string& tenant,
                              const std::string& id) {
    return absl::StrCat("tenants/", tenant, "/posts/", id);
  }

  static auth::Principal Member(const std::string& tenant,
                                const std::string& id) {
    auth::Principal principal;
    principal.subject = id;
    principal.tenant = tenant;
    principal.roles = {auth::kRoleMember};
    principal.trust_level = auth::kTrustLevelMember;
    return principal;
  }
  static auth::Principal Admin(const std::string& tenant) {
    auth::Principal principal = Member(tenant, "admin");
    principal.roles.push_back(auth::kRoleTenantAdmin);
    return principal;
  }
  // The gateway's service account.
  static auth::Principal Gateway(const std::string& tenant) {
    auth::Principal principal;
    principal.subject = "gateway";
    principal.tenant = tenant;
    principal.roles = {auth::kRoleService};
    principal.scopes = {"share.resolve"};
    principal.is_service_account = true;
    return principal;
  }

  // Links of `sharer` (nullptr: anonymous) for `post`.
  absl::StatusOr<v1::CreateShareLinksResponse> Share(
      const auth::Principal* sharer, const std::string& tenant,
      const std::string& post,
      std::vector<common::v1::ShareNetwork> only = {}) {
    v1::CreateShareLinksRequest request;
    request.set_post(PostName(tenant, post));
    for (common::v1::ShareNetwork network : only) request.add_networks(network);
    return CreateShareLinks(*context_, sharer, request);
  }

  // The code of `sharer`'s link of `post` on `network`.
  std::string CodeOf(
      const std::string& sharer, const std::string& tenant,
      const std::string& post,
      common::v1::ShareNetwork network = common::v1::SHARE_NETWORK_FACEBOOK) {
    const auth::Principal member = Member(tenant, sharer);
    absl::StatusOr<v1::CreateShareLinksResponse> links =
        Share(sharer.empty() ? nullptr : &member, tenant, post, {network});
    EXPECT_TRUE(links.ok()) << links.status();
    if (!links.ok() || links->share_links().empty()) return "";
    return links->share_links(0).short_link().code();
  }

  // A visitor key as the gateway makes them (16-128 characters).
  static std::string Visitor(int i) {
    return absl::StrCat("visitor-cookie-", 100000 + i);
  }

  absl::StatusOr<v1::ResolveShortLinkResponse> Resolve(
      const std::string& tenant, const std::string& code,
      const std::string& visitor,
      const std::string& user_agent =
          "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
          "Firefox/120.0",
      ShareContext* context = nullptr) {
    v1::ResolveShortLinkRequest request;
    request.set_name(absl::StrCat("tenants/", tenant, "/shortLinks/", code));
    request.set_visitor_key(visitor);
    request.set_user_agent(user_agent);
    return ResolveShortLink(context == nullptr ? *context_ : *context,
                            Gateway(tenant), request);
  }

  FlushStats Flush(const std::string& tenant, ShareContext* context = nullptr,
                   FlushOptions options = {}) {
    absl::StatusOr<FlushStats> flushed =
        FlushTenant(context == nullptr ? *context_ : *context, tenant, options);
    EXPECT_TRUE(flushed.ok()) << flushed.status();
    return flushed.value_or(FlushStats{});
  }

  // The short link with its figures, as its sharer sees it.
  v1::ShortLink Link(const std::string& tenant, const std::string& code) {
    v1::GetShortLinkRequest request;
    request.set_name(absl::StrCat("tenants/", tenant, "/shortLinks/", code));
    absl::StatusOr<v1::ShortLink> link =
        GetShortLink(*context_, Admin(tenant), request);
    EXPECT_TRUE(link.ok()) << link.status();
    return link.value_or(v1::ShortLink());
  }

  // Events in the outbox, in order.
  std::vector<events::v1::Event> Outbox() {
    std::vector<events::v1::Event> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  events.clear();
                  for (const pqxx::row& row :
                       tx.exec("SELECT payload FROM outbox ORDER BY id")) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[0]).str());
                    events.push_back(event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  int CountEvents(events::v1::Event::PayloadCase payload) {
    int count = 0;
    for (const events::v1::Event& event : Outbox()) {
      if (event.payload_case() == payload) ++count;
    }
    return count;
  }

  absl::Time now_ = Start();
  std::unique_ptr<testing::TestDatabase> db_;
  testing::TestRedis redis_namespace_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::vector<std::unique_ptr<SettingsCache>> settings_;
  std::vector<std::unique_ptr<LinkCache>> links_;
  std::unique_ptr<ShareContext> context_;
};

}  // namespace agora::share

#endif  // AGORA_TESTS_SERVICES_SHARE_SHARE_FIXTURE_H_
