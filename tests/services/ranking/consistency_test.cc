// CheckConsistency against real PostgreSQL and Redis: a consistent tenant
// shows no difference; each kind of damage done to Redis by hand is found
// with its key and values, and repaired when asked.
#include "services/ranking/domain/consistency.h"

#include "absl/strings/match.h"
#include "services/ranking/cache/ranking_keys.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using Kind = v1::ConsistencyDifference;

class ConsistencyTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    for (const char* voter : {"ana", "ben", "chloe"})
      AnnounceMember("fr", voter);
    Publish({.id = "idea1"});
    Publish({.id = "idea2", .category = "cards"});
    ASSERT_TRUE(
        Cast(Member("fr", "ana"), "fr", "idea1", common::v1::VOTE_CHOICE_UP)
            .ok());
    ASSERT_TRUE(
        Cast(Member("fr", "ben"), "fr", "idea1", common::v1::VOTE_CHOICE_DOWN)
            .ok());
    ASSERT_TRUE(
        Cast(Member("fr", "chloe"), "fr", "idea2", common::v1::VOTE_CHOICE_UP)
            .ok());
  }

  absl::StatusOr<v1::ConsistencyReport> Check(bool repair) {
    v1::CheckConsistencyRequest request;
    request.set_parent("tenants/fr");
    request.set_repair(repair);
    return CheckConsistency(*context_, Admin(), request);
  }

  static auth::Principal Admin() {
    return WithRole(Member("fr", "admin"), auth::kRoleTenantAdmin);
  }

  RankingKeys Names() {
    return RankingKeys(redis::KeyBuilder(redis_namespace_.prefix()), "fr");
  }
  int64_t Generation() { return context_->boards.Generation("fr").value(); }

  bool HasKind(const v1::ConsistencyReport& report, Kind::Kind kind,
               const std::string& post) {
    for (const Kind& difference : report.differences()) {
      if (difference.kind() == kind &&
          absl::EndsWith(difference.subject(), "/" + post)) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(ConsistencyTest, ConsistentTenantHasNoDifference) {
  absl::StatusOr<v1::ConsistencyReport> report = Check(false);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->difference_count(), 0) << report->DebugString();
  EXPECT_GT(report->boards_checked(), 10);
  EXPECT_GT(report->entries_checked(), 10);
  EXPECT_EQ(report->tallies_checked(), 2);
  EXPECT_EQ(report->pending_repairs(), 0);
}

TEST_F(ConsistencyTest, DamageIsFoundAndRepaired) {
  const int64_t generation = Generation();
  const RankingKeys names = Names();
  const std::string hot = names.Board(generation, v1::BOARD_HOT, Scope{});
  const std::string top = names.Board(generation, v1::BOARD_TOP, Scope{});
  ASSERT_TRUE(redis_->Run({"ZADD", hot, "1", "idea1"}).ok());
  ASSERT_TRUE(redis_->Run({"ZREM", top, "idea2"}).ok());
  ASSERT_TRUE(redis_->Run({"ZADD", top, "42", "ghost"}).ok());
  ASSERT_TRUE(
      redis_->Run({"HSET", names.Tally(generation, "idea2"), "u", "7"}).ok());

  absl::StatusOr<v1::ConsistencyReport> report = Check(true);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->difference_count(), 4) << report->DebugString();
  EXPECT_TRUE(HasKind(*report, Kind::KIND_SCORE_MISMATCH, "idea1"));
  EXPECT_TRUE(HasKind(*report, Kind::KIND_ENTRY_MISSING, "idea2"));
  EXPECT_TRUE(HasKind(*report, Kind::KIND_ENTRY_EXTRA, "ghost"));
  EXPECT_TRUE(HasKind(*report, Kind::KIND_TALLY_MISMATCH, "idea2"));
  for (const Kind& difference : report->differences()) {
    if (difference.kind() == Kind::KIND_TALLY_MISMATCH) {
      EXPECT_EQ(difference.redis_value(), 7);
      EXPECT_EQ(difference.expected_value(), 1);
    }
  }
  EXPECT_TRUE(report->repaired());

  absl::StatusOr<v1::ConsistencyReport> after = Check(false);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->difference_count(), 0) << after->DebugString();
}

TEST_F(ConsistencyTest, MissingKeysAreReported) {
  const int64_t generation = Generation();
  ASSERT_TRUE(redis_
                  ->Run({"DEL", Names().Tally(generation, "idea1"),
                         Names().Board(generation, v1::BOARD_BEST, Scope{})})
                  .ok());
  absl::StatusOr<v1::ConsistencyReport> report = Check(false);
  ASSERT_TRUE(report.ok()) << report.status();
  int missing = 0;
  for (const Kind& difference : report->differences()) {
    if (difference.kind() == Kind::KIND_KEY_MISSING) ++missing;
  }
  EXPECT_EQ(missing, 2) << report->DebugString();
  EXPECT_FALSE(report->repaired());
}

TEST_F(ConsistencyTest, OnlyAdminsCheckAndArgumentsAreBounded) {
  v1::CheckConsistencyRequest request;
  request.set_parent("tenants/fr");
  EXPECT_EQ(
      CheckConsistency(*context_, Member("fr", "ana"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      CheckConsistency(*context_,
                       WithRole(Member("it", "admin"), auth::kRoleTenantAdmin),
                       request)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
  request.set_sample_size(100001);
  EXPECT_NE(CheckConsistency(*context_, Admin(), request)
                .status()
                .message()
                .find("sample_size"),
            std::string::npos);
  request.set_sample_size(0);
  request.set_max_differences(1001);
  EXPECT_NE(CheckConsistency(*context_, Admin(), request)
                .status()
                .message()
                .find("max_differences"),
            std::string::npos);
}

}  // namespace
}  // namespace agora::ranking
