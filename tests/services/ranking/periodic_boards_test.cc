// TRENDING and MOST_ACTIVE_MEMBERS, recomputed off the request path from
// PostgreSQL and swapped in whole, read through ListLeaderboard, GetRank
// and ExplainRank.
#include "services/ranking/domain/periodic_boards.h"

#include "absl/strings/str_format.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::VOTE_CHOICE_UP;

class PeriodicBoardsTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    Exec(
        "INSERT INTO settings (tenant, kind, body) VALUES ('fr',"
        " 'vote_settings', $1)",
        pqxx::binarystring([] {
          v1::VoteSettings settings = DefaultVoteSettings();
          settings.set_max_votes_per_minute(600);
          settings.set_serial_voting_threshold(1000);
          return settings.SerializeAsString();
        }()));
  }

  // `count` members vote `post` up now.
  void Votes(const std::string& post, int count, const std::string& prefix) {
    for (int i = 0; i < count; ++i) {
      const std::string voter = absl::StrCat(prefix, i);
      AnnounceMember("fr", voter);
      ASSERT_TRUE(Cast(Member("fr", voter), "fr", post, VOTE_CHOICE_UP).ok());
    }
  }

  void Refresh() {
    absl::StatusOr<PeriodicBoardStats> stats =
        RefreshPeriodicBoards(*context_, "fr");
    ASSERT_TRUE(stats.ok()) << stats.status();
  }

  void Contribution(const std::string& member, absl::CivilDay day,
                    v1::Contribution contribution, int64_t count) {
    Exec(
        "INSERT INTO member_contributions (tenant, member, day, contribution,"
        " count) VALUES ('fr', $1, $2::date, $3, $4)",
        member,
        absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day()),
        static_cast<int>(contribution), count);
  }
};

TEST_F(PeriodicBoardsTest, RecentBurstsTrendAboveSteadyActivity) {
  Publish({.id = "burst"});
  Publish({.id = "steady"});
  Publish({.id = "quiet"});
  // steady: 20 votes over the past days, then 6 in the last hours.
  now_ -= absl::Hours(72);
  Votes("steady", 20, "old");
  now_ += absl::Hours(72);
  Votes("steady", 6, "new");
  Votes("burst", 8, "b");
  Votes("quiet", 3, "q");  // under the 5 events needed
  Refresh();
  EXPECT_EQ(Ids(Board(v1::BOARD_TRENDING)),
            (std::vector<std::string>{"burst", "steady"}));
  // Hand computation with the defaults (6 h recent, 162 h of baseline):
  // burst: (8/6) / ((0 + 1)/162) = 216; steady: (6/6) / ((20 + 1)/162).
  const auto entries = Board(v1::BOARD_TRENDING);
  EXPECT_NEAR(entries[0].second, 216.0, 1e-9);
  EXPECT_NEAR(entries[1].second, 162.0 / 21.0, 1e-9);
  // Scopes follow the post's.
  EXPECT_EQ(Ids(Board(v1::BOARD_TRENDING, common::v1::TIME_WINDOW_ALL_TIME,
                      "fr", "lab")),
            (std::vector<std::string>{"burst", "steady"}));

  v1::ExplainRankRequest explain;
  explain.set_target(PostName("fr", "burst"));
  explain.set_board(v1::BOARD_TRENDING);
  absl::StatusOr<v1::RankExplanation> explanation =
      ExplainRank(*context_, nullptr, explain);
  ASSERT_TRUE(explanation.ok()) << explanation.status();
  EXPECT_EQ(explanation->rank().rank(), 1);
  EXPECT_NEAR(explanation->rank().score(), 216.0, 1e-9);
  bool saw_recent_votes = false;
  for (const v1::FormulaTerm& input : explanation->inputs()) {
    if (input.name() == "recent_votes") {
      saw_recent_votes = true;
      EXPECT_EQ(input.value(), 8);
    }
  }
  EXPECT_TRUE(saw_recent_votes) << explanation->DebugString();
}

TEST_F(PeriodicBoardsTest, TrendingForgetsPostsThatCooledDownOrWereHidden) {
  Publish({.id = "burst"});
  Publish({.id = "other"});
  Votes("burst", 6, "b");
  Votes("other", 6, "o");
  Refresh();
  EXPECT_EQ(Board(v1::BOARD_TRENDING).size(), 2u);
  Hide("fr", "other");
  now_ += absl::Hours(12);  // the burst is now out of the recent window
  Refresh();
  EXPECT_TRUE(Board(v1::BOARD_TRENDING).empty());
  EXPECT_TRUE(
      Board(v1::BOARD_TRENDING, common::v1::TIME_WINDOW_ALL_TIME, "fr", "lab")
          .empty());
}

TEST_F(PeriodicBoardsTest, MostActiveMembersWeighContributionsPerWindow) {
  const absl::CivilDay today =
      absl::ToCivilDay(now_, absl::FixedTimeZone(3600));  // Paris in November
  // ana: 2 answers today (5 each); ben: 3 posts (3 each) and an accepted
  // answer (10) five days ago; chloe: 40 comments (1 each) 20 days ago.
  Contribution("ana", today, v1::CONTRIBUTION_ANSWER, 2);
  Contribution("ben", today - 5, v1::CONTRIBUTION_POST, 3);
  Contribution("ben", today - 5, v1::CONTRIBUTION_ACCEPTED_ANSWER, 1);
  Contribution("chloe", today - 20, v1::CONTRIBUTION_COMMENT, 40);
  Contribution("dan", today, v1::CONTRIBUTION_VOTE_CAST, 50);  // weight 0
  Publish({.id = "any"});  // a tenant with posts is refreshed
  Refresh();

  v1::ListLeaderboardRequest request;
  request.set_parent("tenants/fr");
  request.set_board(v1::BOARD_MOST_ACTIVE_MEMBERS);
  auto members = [&](common::v1::TimeWindow window) {
    request.set_window(window);
    absl::StatusOr<v1::ListLeaderboardResponse> response =
        ListLeaderboard(*context_, nullptr, request);
    EXPECT_TRUE(response.ok()) << response.status();
    std::vector<std::pair<std::string, double>> out;
    if (!response.ok()) return out;
    for (const v1::LeaderboardEntry& entry : response->entries()) {
      out.emplace_back(entry.member(), entry.score());
    }
    return out;
  };
  using Entries = std::vector<std::pair<std::string, double>>;
  EXPECT_EQ(members(common::v1::TIME_WINDOW_ALL_TIME),
            (Entries{{"tenants/fr/members/chloe", 40},
                     {"tenants/fr/members/ben", 19},
                     {"tenants/fr/members/ana", 10}}));
  EXPECT_EQ(members(common::v1::TIME_WINDOW_DAY),
            (Entries{{"tenants/fr/members/ana", 10}}));
  EXPECT_EQ(members(common::v1::TIME_WINDOW_WEEK),
            (Entries{{"tenants/fr/members/ben", 19},
                     {"tenants/fr/members/ana", 10}}));

  v1::GetRankRequest rank;
  rank.set_member("tenants/fr/members/ben");
  rank.set_board(v1::BOARD_MOST_ACTIVE_MEMBERS);
  absl::StatusOr<v1::Rank> ben = GetRank(*context_, nullptr, rank);
  ASSERT_TRUE(ben.ok()) << ben.status();
  EXPECT_EQ(ben->rank(), 2);
  EXPECT_EQ(ben->score(), 19);
  EXPECT_EQ(ben->total_size(), 3);

  v1::ExplainRankRequest explain;
  explain.set_member("tenants/fr/members/ben");
  explain.set_board(v1::BOARD_MOST_ACTIVE_MEMBERS);
  absl::StatusOr<v1::RankExplanation> explanation =
      ExplainRank(*context_, nullptr, explain);
  ASSERT_TRUE(explanation.ok()) << explanation.status();
  EXPECT_EQ(explanation->above().member(), "tenants/fr/members/chloe");
  EXPECT_EQ(explanation->below().member(), "tenants/fr/members/ana");
  double sum = 0;
  for (int i = 0; i < explanation->inputs_size(); ++i) {
    sum += explanation->inputs(i).value() * explanation->parameters(i).value();
  }
  EXPECT_EQ(sum, 19);
}

TEST_F(PeriodicBoardsTest, MostActiveMembersRefusesPostScopes) {
  v1::ListLeaderboardRequest request;
  request.set_parent("tenants/fr");
  request.set_board(v1::BOARD_MOST_ACTIVE_MEMBERS);
  request.set_kind(common::v1::CONTENT_KIND_IDEA);
  EXPECT_NE(ListLeaderboard(*context_, nullptr, request)
                .status()
                .message()
                .find("kind"),
            std::string::npos);
  request.set_kind(common::v1::CONTENT_KIND_UNSPECIFIED);
  request.set_category("tenants/fr/spaces/lab/categories/cards");
  EXPECT_NE(ListLeaderboard(*context_, nullptr, request)
                .status()
                .message()
                .find("category"),
            std::string::npos);
  v1::GetRankRequest rank;
  rank.set_target(PostName("fr", "any"));
  rank.set_board(v1::BOARD_MOST_ACTIVE_MEMBERS);
  EXPECT_EQ(GetRank(*context_, nullptr, rank).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::GetRankRequest member_on_posts;
  member_on_posts.set_member("tenants/fr/members/ana");
  member_on_posts.set_board(v1::BOARD_HOT);
  EXPECT_NE(GetRank(*context_, nullptr, member_on_posts)
                .status()
                .message()
                .find("member"),
            std::string::npos);
}

}  // namespace
}  // namespace agora::ranking
