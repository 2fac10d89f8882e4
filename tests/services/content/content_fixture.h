// A content domain on real PostgreSQL (its own database, migrated per test)
// whose screening goes to the real moderation service: the agora-moderation
// binary, started once per test suite on its own database and Redis prefix,
// trusting the suite's signing key. Tenants and members arrive the way
// identity announces them (its events, applied by content's handler);
// moderation's decisions likewise. Domain functions are called directly
// with principals of each kind; content_grpc_test.cc goes through gRPC.
#ifndef AGORA_TESTS_SERVICES_CONTENT_CONTENT_FIXTURE_H_
#define AGORA_TESTS_SERVICES_CONTENT_CONTENT_FIXTURE_H_

#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agora/events/v1/events.pb.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/key_set.h"
#include "libs/auth/principal.h"
#include "libs/auth/roles.h"
#include "libs/events/schema.h"
#include "libs/events/typed_event.h"
#include "libs/idempotency/schema.h"
#include "libs/pg/pool.h"
#include "libs/pg/transaction.h"
#include "libs/service_tokens/service_token_source.h"
#include "services/content/domain/content_context.h"
#include "services/content/domain/event_handlers.h"
#include "services/content/domain/post_writes.h"
#include "services/content/domain/spaces.h"
#include "services/content/repository/migrations.h"
#include "tests/harness/child_process.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::content {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;

// The real moderation service, shared by the tests of one binary.
class ModerationProcess {
 public:
  static constexpr char kIssuer[] = "agora-content-test";

  ModerationProcess() {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    EXPECT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    absl::StatusOr<auth::Ed25519PrivateKey> key =
        auth::Ed25519PrivateKey::Generate();
    EXPECT_TRUE(key.ok());
    auth::KeySet keys;
    EXPECT_TRUE(keys.Add(key->public_key()).ok());
    jwks_path_ = ::testing::TempDir() + "/content-test-jwks-" +
                 testing::RandomName() + ".json";
    std::ofstream(jwks_path_) << auth::ToJwks(keys);
    signer_ = std::make_shared<auth::JwtSigner>(*std::move(key));
    port_ = testing::FreePort();
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start(
            {AGORA_MODERATION_BINARY, absl::StrCat("--pg_url=", db_->url()),
             absl::StrCat("--redis_address=", testing::RedisAddress()),
             absl::StrCat("--redis_key_prefix=", redis_.prefix()),
             absl::StrCat("--jwks_file=", jwks_path_),
             absl::StrCat("--token_issuer=", kIssuer),
             absl::StrCat("--listen=127.0.0.1:", port_), "--metrics_port=-1",
             "--log_level=warn"});
    EXPECT_TRUE(process.ok()) << process.status();
    if (process.ok()) process_.emplace(*std::move(process));
    EXPECT_TRUE(testing::WaitForPort(port_, absl::Seconds(60)))
        << "agora-moderation did not listen";
  }
  ~ModerationProcess() { std::remove(jwks_path_.c_str()); }

  std::string address() const { return absl::StrCat("127.0.0.1:", port_); }
  std::shared_ptr<const auth::JwtSigner> signer() const { return signer_; }

 private:
  testing::TestRedis redis_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::string jwks_path_;
  std::shared_ptr<auth::JwtSigner> signer_;
  int port_ = 0;
  std::optional<testing::ChildProcess> process_;
};

class ContentTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { moderation_ = new ModerationProcess(); }
  static void TearDownTestSuite() {
    delete moderation_;
    moderation_ = nullptr;
  }

  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create(
        "content", {ContentMigrations(), events::OutboxMigrations(),
                    idempotency::IdempotencyMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 8});
    screening_ = std::make_unique<ScreeningClient>(
        moderation::v1::ModerationService::NewStub(grpc::CreateChannel(
            moderation_->address(), grpc::InsecureChannelCredentials())),
        service_tokens::SignedTokenSource(
            moderation_->signer(), {.subject = "content",
                                    .scopes = {"moderation.screen"},
                                    .issuer = ModerationProcess::kIssuer}),
        // Generous for a sanitizer build on a loaded machine: the tests of
        // the hold-on-timeout path use their own client.
        absl::Seconds(20));
    context_ = std::make_unique<ContentContext>(
        ContentContext{.pool = *pool_, .screening = *screening_});
    context_->now = [this] { return now_; };
    tenant_ = "t" + testing::RandomName(8);
    AnnounceTenant(tenant_, "fr", {"fr", "en"});
  }

  // --- What identity announces. ---

  // The last outbox event of `type`.
  ev::Event LastEvent(const std::string& type) {
    ev::Event event;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          const pqxx::result rows = tx.exec_params(
              "SELECT payload FROM outbox WHERE event_type = $1"
              " ORDER BY id DESC LIMIT 1",
              type);
          if (!rows.empty()) {
            event.ParseFromString(pqxx::binarystring(rows[0][0]).str());
          }
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return event;
  }

  ev::Event IdentityEvent(const std::string& tenant) {
    common::Actor system;
    system.set_type(common::ACTOR_TYPE_SYSTEM);
    return events::NewEvent(ev::PRODUCER_IDENTITY, tenant, system,
                            "tenants/" + tenant, absl::Now());
  }

  void Apply(const ev::Event& event) {
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          return event.producer() == ev::PRODUCER_MODERATION
                     ? ApplyModerationEvent(*context_, tx, event)
                     : ApplyIdentityEvent(*context_, tx, event);
        });
    ASSERT_TRUE(status.ok()) << status;
  }

  void AnnounceTenant(const std::string& tenant, const std::string& language,
                      const std::vector<std::string>& languages) {
    ev::Event event = IdentityEvent(tenant);
    ev::TenantCreated& created = *event.mutable_tenant_created();
    created.set_tenant("tenants/" + tenant);
    created.set_default_language(language);
    for (const std::string& l : languages) created.add_allowed_languages(l);
    created.set_time_zone("Europe/Paris");
    Apply(event);
  }

  void AnnounceMember(const std::string& id, const std::string& display_name,
                      bool verified_customer = false) {
    ev::Event event = IdentityEvent(tenant_);
    ev::MemberRegistered& member = *event.mutable_member_registered();
    member.set_member(absl::StrCat("tenants/", tenant_, "/members/", id));
    member.set_display_name(display_name);
    member.set_language("fr");
    member.set_verified_customer(verified_customer);
    Apply(event);
  }

  // --- Principals. ---

  auth::Principal Member(const std::string& id, int trust_level = 2) const {
    auth::Principal principal;
    principal.subject = id;
    principal.tenant = tenant_;
    principal.roles = {auth::kRoleMember};
    principal.trust_level = trust_level;
    return principal;
  }
  auth::Principal WithRole(auth::Principal principal,
                           const std::string& role) const {
    principal.roles.push_back(role);
    return principal;
  }
  auth::Principal Staff(const std::string& id) const {
    return WithRole(Member(id, 4), auth::kRoleStaff);
  }
  auth::Principal Moderator(const std::string& id) const {
    return WithRole(Member(id, 4), auth::kRoleModerator);
  }
  auth::Principal Admin(const std::string& id = "admin") const {
    return WithRole(Member(id, 4), auth::kRoleTenantAdmin);
  }

  // --- Spaces and posts. ---

  v1::Space MakeSpace(const std::string& id, v1::SpaceKind kind) {
    v1::CreateSpaceRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_space_id(id);
    request.mutable_space()->set_kind(kind);
    (*request.mutable_space()
          ->mutable_display_name()
          ->mutable_translations())["fr"] = "Espace " + id;
    absl::StatusOr<v1::Space> space = CreateSpace(*context_, Admin(), request);
    EXPECT_TRUE(space.ok()) << space.status();
    return space.value_or(v1::Space());
  }

  v1::Category MakeCategory(const std::string& space, const std::string& id) {
    v1::CreateCategoryRequest request;
    request.set_parent(absl::StrCat("tenants/", tenant_, "/spaces/", space));
    request.set_category_id(id);
    (*request.mutable_category()
          ->mutable_display_name()
          ->mutable_translations())["fr"] = "Catégorie " + id;
    absl::StatusOr<v1::Category> category =
        CreateCategory(*context_, Admin(), request);
    EXPECT_TRUE(category.ok()) << category.status();
    return category.value_or(v1::Category());
  }

  std::string SpaceName(const std::string& id) const {
    return absl::StrCat("tenants/", tenant_, "/spaces/", id);
  }

  absl::StatusOr<v1::Post> Create(const auth::Principal& author, v1::Post post,
                                  const std::string& request_id = "") {
    v1::CreatePostRequest request;
    request.set_parent("tenants/" + tenant_);
    *request.mutable_post() = std::move(post);
    request.set_request_id(request_id);
    return CreatePost(*context_, author, request);
  }

  static v1::Post Question(const std::string& space, const std::string& title,
                           const std::string& body) {
    v1::Post post;
    post.set_kind(common::CONTENT_KIND_QUESTION);
    post.set_space(space);
    post.set_title(title);
    post.set_body(body);
    return post;
  }
  static v1::Post Reply(common::ContentKind kind, const std::string& parent,
                        const std::string& body) {
    v1::Post post;
    post.set_kind(kind);
    post.set_in_reply_to(parent);
    post.set_body(body);
    return post;
  }

  // The outbox's event types about `subject`, in order.
  std::vector<std::string> EventTypes(const std::string& subject) {
    std::vector<std::string> types;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          types.clear();
          for (const pqxx::row& row :
               tx.exec("SELECT event_type, payload FROM outbox ORDER BY id")) {
            ev::Event event;
            event.ParseFromString(pqxx::binarystring(row[1]).str());
            if (event.subject() == subject) {
              types.push_back(row[0].as<std::string>());
            }
          }
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return types;
  }

  // One column of one post row, as text.
  std::string PostColumn(const std::string& post_name,
                         const std::string& column) {
    std::string value;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          const pqxx::result rows = tx.exec_params(
              "SELECT " + tx.quote_name(column) +
                  "::text FROM posts WHERE tenant = $1 AND id = $2",
              tenant_, post_name.substr(post_name.rfind('/') + 1));
          value = rows.empty() || rows[0][0].is_null()
                      ? ""
                      : rows[0][0].as<std::string>();
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return value;
  }

  static ModerationProcess* moderation_;
  absl::Time now_ = absl::Now();
  std::string tenant_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  std::unique_ptr<ScreeningClient> screening_;
  std::unique_ptr<ContentContext> context_;
};

inline ModerationProcess* ContentTest::moderation_ = nullptr;

}  // namespace agora::content

#endif  // AGORA_TESTS_SERVICES_CONTENT_CONTENT_FIXTURE_H_
