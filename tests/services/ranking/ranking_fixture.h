// A ranking domain on real PostgreSQL (its own database, migrated) and
// Redis (its own key prefix), with a clock the tests move, helpers to
// announce tenants, members and posts the way identity and content do
// (through the event handlers), to vote through the real batch writer, and
// to read boards back. ranking_grpc_test.cc goes through the binary.
#ifndef AGORA_TESTS_SERVICES_RANKING_RANKING_FIXTURE_H_
#define AGORA_TESTS_SERVICES_RANKING_RANKING_FIXTURE_H_

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
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/domain/event_handlers.h"
#include "services/ranking/domain/leaderboards.h"
#include "services/ranking/domain/post_repair.h"
#include "services/ranking/domain/ranking_context.h"
#include "services/ranking/domain/rebuild.h"
#include "services/ranking/domain/settings_store.h"
#include "services/ranking/domain/vote_batcher.h"
#include "services/ranking/domain/votes.h"
#include "services/ranking/repository/migrations.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"
#include "tests/services/ranking/redis_state.h"

namespace agora::ranking {

class RankingTest : public ::testing::Test {
 protected:
  // 2026-11-22 10:00 UTC: a fixed "now" the tests move by hand.
  static absl::Time Start() {
    return absl::FromCivil(absl::CivilSecond(2026, 11, 22, 10, 0, 0),
                           absl::UTCTimeZone());
  }

  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create(
        "ranking", {RankingMigrations(), events::OutboxMigrations(),
                    idempotency::IdempotencyMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 8});
    redis_ = std::make_unique<redis::RedisClient>(redis_namespace_.options());
    context_ = MakeContext(*redis_);
    AnnounceTenant("fr", "Europe/Paris");
    AnnounceTenant("it", "Europe/Rome");
    ASSERT_TRUE(RebuildTenant(*context_, "fr").ok());
    ASSERT_TRUE(RebuildTenant(*context_, "it").ok());
  }

  // A context over the test database and `redis` (a second one can point
  // at a Redis that is down).
  std::unique_ptr<RankingContext> MakeContext(redis::RedisClient& redis) {
    settings_.push_back(std::make_unique<SettingsStore>(
        *pool_, absl::ZeroDuration(), [this] { return now_; }));
    SettingsStore& settings = *settings_.back();
    boards_.push_back(std::make_unique<BoardWriter>(
        redis, redis::KeyBuilder(redis_namespace_.prefix()),
        [&settings](const std::string& tenant) {
          return settings.FormulaParameters(tenant);
        }));
    auto context = std::make_unique<RankingContext>(
        RankingContext{.pool = *pool_,
                       .redis = redis,
                       .keys = redis::KeyBuilder(redis_namespace_.prefix()),
                       .settings = settings,
                       .boards = *boards_.back()});
    context->now = [this] { return now_; };
    context->request_rebuild = [this](const std::string& tenant) {
      rebuilds_requested_.push_back(tenant);
    };
    return context;
  }

  template <typename... Args>
  void Exec(const std::string& sql, const Args&... args) {
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  tx.exec_params(sql, args...);
                  return absl::OkStatus();
                }).ok());
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

  // Applies an event as the consumer would, then lets the repairer bring
  // Redis along (what the worker does once the transaction committed).
  void Apply(const events::v1::Event& event) {
    absl::Status applied =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          switch (event.producer()) {
            case events::v1::PRODUCER_IDENTITY:
              return ApplyIdentityEvent(*context_, tx, event);
            case events::v1::PRODUCER_SHARE:
              return ApplyShareEvent(*context_, tx, event);
            default:
              return ApplyContentEvent(*context_, tx, event);
          }
        });
    ASSERT_TRUE(applied.ok()) << applied;
    absl::StatusOr<int> repaired = RepairPendingPosts(*context_, 1000);
    ASSERT_TRUE(repaired.ok()) << repaired.status();
  }

  void AnnounceTenant(const std::string& tenant, const std::string& zone) {
    events::v1::Event event = NewEvent(tenant, events::v1::PRODUCER_IDENTITY);
    event.mutable_tenant_created()->set_tenant("tenants/" + tenant);
    event.mutable_tenant_created()->set_time_zone(zone);
    Apply(event);
  }

  // A member who signed up `age` ago.
  void AnnounceMember(const std::string& tenant, const std::string& id,
                      absl::Duration age = absl::Hours(24 * 30),
                      bool verified_customer = false) {
    events::v1::Event event = NewEvent(tenant, events::v1::PRODUCER_IDENTITY);
    events::v1::MemberRegistered* member = event.mutable_member_registered();
    member->set_member(absl::StrCat("tenants/", tenant, "/members/", id));
    member->set_display_name(id);
    member->set_verified_customer(verified_customer);
    *member->mutable_create_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(now_ - age));
    Apply(event);
  }

  struct PostSpec {
    std::string tenant = "fr";
    std::string id;
    common::v1::ContentKind kind = common::v1::CONTENT_KIND_IDEA;
    std::string author = "author";
    std::string space = "lab";
    std::string category = "";  // id within the space
    std::string in_reply_to = "";
    common::v1::EvaluationMode mode = common::v1::EVALUATION_MODE_UNSPECIFIED;
    absl::Duration age = absl::ZeroDuration();  // published this long ago
  };

  void Publish(const PostSpec& spec) {
    events::v1::Event event =
        NewEvent(spec.tenant, events::v1::PRODUCER_CONTENT);
    events::v1::PostPublished* post = event.mutable_post_published();
    post->mutable_post()->set_kind(spec.kind);
    post->mutable_post()->set_name(PostName(spec.tenant, spec.id));
    post->set_space(
        absl::StrCat("tenants/", spec.tenant, "/spaces/", spec.space));
    if (!spec.category.empty()) {
      post->set_category(absl::StrCat("tenants/", spec.tenant, "/spaces/",
                                      spec.space, "/categories/",
                                      spec.category));
    }
    if (!spec.in_reply_to.empty()) {
      post->set_in_reply_to(PostName(spec.tenant, spec.in_reply_to));
    }
    post->set_author(
        absl::StrCat("tenants/", spec.tenant, "/members/", spec.author));
    post->set_evaluation_mode(spec.mode);
    *post->mutable_publish_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(now_ - spec.age));
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
                                const std::string& id, int trust_level = 2) {
    auth::Principal principal;
    principal.subject = id;
    principal.tenant = tenant;
    principal.roles = {auth::kRoleMember};
    principal.trust_level = trust_level;
    return principal;
  }
  static auth::Principal WithRole(auth::Principal principal,
                                  const std::string& role) {
    principal.roles.push_back(role);
    return principal;
  }

  // Casts through the same path as the RPC (checks, then the batch writer).
  absl::StatusOr<v1::CastVoteResponse> Cast(
      const auth::Principal& voter, const std::string& tenant,
      const std::string& post, common::v1::VoteChoice choice, int stars = 0,
      const std::string& request_id = "") {
    v1::CastVoteRequest request;
    request.set_target(PostName(tenant, post));
    request.set_choice(choice);
    request.set_stars(stars);
    request.set_request_id(request_id);
    absl::StatusOr<VoteCommand> command =
        CastVoteCommand(*context_, voter, request);
    if (!command.ok()) return command.status();
    return CastVoteResponseOf(*command,
                              WriteVoteBatch(*context_, {*command})[0]);
  }

  absl::StatusOr<v1::RetractVoteResponse> Retract(
      const auth::Principal& voter, const std::string& tenant,
      const std::string& post,
      common::v1::VoteAxis axis = common::v1::VOTE_AXIS_PRIMARY) {
    v1::RetractVoteRequest request;
    request.set_target(PostName(tenant, post));
    request.set_axis(axis);
    absl::StatusOr<VoteCommand> command =
        RetractVoteCommand(*context_, voter, request);
    if (!command.ok()) return command.status();
    return RetractVoteResponseOf(*command,
                                 WriteVoteBatch(*context_, {*command})[0]);
  }

  // Post ids of a board, best first, with their scores.
  std::vector<std::pair<std::string, double>> Board(
      v1::Board board,
      common::v1::TimeWindow window = common::v1::TIME_WINDOW_ALL_TIME,
      const std::string& tenant = "fr", const std::string& space = "",
      common::v1::ContentKind kind = common::v1::CONTENT_KIND_UNSPECIFIED) {
    v1::ListLeaderboardRequest request;
    request.set_parent("tenants/" + tenant);
    request.set_board(board);
    request.set_window(window);
    if (!space.empty()) {
      request.set_space(absl::StrCat("tenants/", tenant, "/spaces/", space));
    }
    request.set_kind(kind);
    request.set_page_size(100);
    absl::StatusOr<v1::ListLeaderboardResponse> response =
        ListLeaderboard(*context_, nullptr, request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::pair<std::string, double>> entries;
    if (!response.ok()) return entries;
    for (const v1::LeaderboardEntry& entry : response->entries()) {
      const std::string& name = entry.post().name();
      entries.emplace_back(name.substr(name.rfind('/') + 1), entry.score());
    }
    return entries;
  }

  static std::vector<std::string> Ids(
      const std::vector<std::pair<std::string, double>>& entries) {
    std::vector<std::string> ids;
    for (const auto& entry : entries) ids.push_back(entry.first);
    return ids;
  }

  // The tally PostgreSQL says the post has.
  TallyCounts TallyInDatabase(const std::string& tenant,
                              const std::string& post) {
    absl::StatusOr<std::optional<TallyView>> view =
        TallyFromDatabase(*context_, tenant, post);
    EXPECT_TRUE(view.ok() && view->has_value());
    return view.ok() && view->has_value() ? (*view)->counts : TallyCounts{};
  }

  // The state a rebuild from PostgreSQL alone writes, under a prefix of its
  // own (same database, same clock).
  RedisState RebuiltFromScratch(const std::string& tenant = "fr") {
    testing::TestRedis fresh;
    SettingsStore settings(*pool_, absl::ZeroDuration(),
                           [this] { return now_; });
    BoardWriter boards(*redis_, redis::KeyBuilder(fresh.prefix()),
                       [&settings](const std::string& t) {
                         return settings.FormulaParameters(t);
                       });
    RankingContext context{.pool = *pool_,
                           .redis = *redis_,
                           .keys = redis::KeyBuilder(fresh.prefix()),
                           .settings = settings,
                           .boards = boards};
    context.now = [this] { return now_; };
    absl::StatusOr<RebuildStats> rebuilt = RebuildTenant(context, tenant);
    EXPECT_TRUE(rebuilt.ok()) << rebuilt.status();
    return LiveState(context, tenant);
  }

  absl::Time now_ = Start();
  std::unique_ptr<testing::TestDatabase> db_;
  testing::TestRedis redis_namespace_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  std::unique_ptr<redis::RedisClient> redis_;
  std::vector<std::unique_ptr<SettingsStore>> settings_;
  std::vector<std::unique_ptr<BoardWriter>> boards_;
  std::unique_ptr<RankingContext> context_;
  std::vector<std::string> rebuilds_requested_;
};

}  // namespace agora::ranking

#endif  // AGORA_TESTS_SERVICES_RANKING_RANKING_FIXTURE_H_
