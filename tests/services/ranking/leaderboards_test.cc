// Leaderboards on real PostgreSQL and Redis: every board's score against a
// value computed by hand from the published formula, the order the
// formulas give, scopes (tenant, space, category, kind), windows over day
// buckets (DAY, WEEK, MONTH) with their expiry, a hidden post leaving every
// board at once, pages, GetRank, ExplainRank, named bad input, tenants kept
// apart down to the Redis keys.
//
// The fixture's clock starts at 2026-11-22 10:00 UTC (11:00 in Paris, the
// time zone of tenant fr). Votes carry the fixture's time, so moving the
// clock by whole days puts later votes in later day buckets; the Redis
// expiries themselves are absolute dates (see DayBucketsExpireAMonthAfter-
// TheirDay).
#include <algorithm>
#include <functional>
#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/board_scores.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::CONTENT_KIND_ANSWER;
using common::v1::CONTENT_KIND_COMMENT;
using common::v1::CONTENT_KIND_CONTEST_ENTRY;
using common::v1::CONTENT_KIND_IDEA;
using common::v1::CONTENT_KIND_QUESTION;
using common::v1::CONTENT_KIND_REVIEW;
using common::v1::EVALUATION_MODE_STARS;
using common::v1::TIME_WINDOW_ALL_TIME;
using common::v1::TIME_WINDOW_DAY;
using common::v1::TIME_WINDOW_MONTH;
using common::v1::TIME_WINDOW_WEEK;
using common::v1::TimeWindow;
using common::v1::VOTE_CHOICE_DOWN;
using common::v1::VOTE_CHOICE_HELPFUL;
using common::v1::VOTE_CHOICE_LIKE;
using common::v1::VOTE_CHOICE_NOT_HELPFUL;
using common::v1::VOTE_CHOICE_STARS;
using common::v1::VOTE_CHOICE_UP;
using Entries = std::vector<std::pair<std::string, double>>;

constexpr int kVoters = 12;

// Reddit's epoch, the default hot_epoch, in seconds since 1970.
constexpr double kRedditEpoch = 1134028003;

class LeaderboardsTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    for (int i = 0; i < kVoters; ++i) AnnounceMember("fr", VoterId(i));
  }

  static std::string VoterId(int i) { return absl::StrCat("v", i); }

  // Voters v0, v1 ... cast `ups` up votes, then the next ones `downs` down
  // votes, each a vote that changes the tally.
  void Vote(const std::string& post, int ups, int downs = 0,
            const std::string& tenant = "fr") {
    ASSERT_LE(ups + downs, kVoters);
    for (int i = 0; i < ups + downs; ++i) {
      absl::StatusOr<v1::CastVoteResponse> cast =
          Cast(Member(tenant, VoterId(i)), tenant, post,
               i < ups ? VOTE_CHOICE_UP : VOTE_CHOICE_DOWN);
      ASSERT_TRUE(cast.ok()) << post << ": " << cast.status();
      ASSERT_TRUE(cast->changed());
    }
  }

  static v1::ListLeaderboardRequest Request(
      v1::Board board, TimeWindow window = TIME_WINDOW_ALL_TIME,
      const std::string& tenant = "fr") {
    v1::ListLeaderboardRequest request;
    request.set_parent("tenants/" + tenant);
    request.set_board(board);
    request.set_window(window);
    request.set_page_size(100);
    return request;
  }

  // Post ids and scores of a whole board.
  Entries Read(const v1::ListLeaderboardRequest& request) {
    absl::StatusOr<v1::ListLeaderboardResponse> response =
        ListLeaderboard(*context_, nullptr, request);
    EXPECT_TRUE(response.ok()) << response.status();
    Entries entries;
    if (!response.ok()) return entries;
    EXPECT_FALSE(response->repairing());
    EXPECT_TRUE(response->next_page_token().empty());
    EXPECT_EQ(response->total_size(), response->entries_size());
    for (const v1::LeaderboardEntry& entry : response->entries()) {
      const std::string& name = entry.post().name();
      entries.emplace_back(name.substr(name.rfind('/') + 1), entry.score());
    }
    return entries;
  }

  static bool Holds(const Entries& entries, const std::string& post) {
    for (const auto& entry : entries) {
      if (entry.first == post) return true;
    }
    return false;
  }

  static double ScoreIn(const Entries& entries, const std::string& post) {
    for (const auto& entry : entries) {
      if (entry.first == post) return entry.second;
    }
    ADD_FAILURE() << post << " is not on the board";
    return 0;
  }

  template <typename Request>
  static Request PostRequest(const std::string& post, v1::Board board,
                             TimeWindow window = TIME_WINDOW_ALL_TIME,
                             const std::string& tenant = "fr") {
    Request request;
    request.set_target(PostName(tenant, post));
    request.set_board(board);
    request.set_window(window);
    return request;
  }

  absl::StatusOr<v1::Rank> RankOf(const std::string& post, v1::Board board,
                                  TimeWindow window = TIME_WINDOW_ALL_TIME) {
    return GetRank(*context_, nullptr,
                   PostRequest<v1::GetRankRequest>(post, board, window));
  }

  absl::StatusOr<v1::RankExplanation> Explain(
      const std::string& post, v1::Board board,
      TimeWindow window = TIME_WINDOW_ALL_TIME) {
    return ExplainRank(
        *context_, nullptr,
        PostRequest<v1::ExplainRankRequest>(post, board, window));
  }

  static const v1::FormulaTerm* Term(
      const google::protobuf::RepeatedPtrField<v1::FormulaTerm>& terms,
      const std::string& name) {
    for (const v1::FormulaTerm& term : terms) {
      if (term.name() == name) return &term;
    }
    ADD_FAILURE() << "no term " << name;
    static const v1::FormulaTerm* const kNone = new v1::FormulaTerm();
    return kNone;
  }

  int64_t GenerationOf(const std::string& tenant) {
    absl::StatusOr<int64_t> generation = context_->boards.Generation(tenant);
    EXPECT_TRUE(generation.ok()) << generation.status();
    return generation.value_or(0);
  }

  // Today in fr's calendar (Europe/Paris), as the boards see it.
  absl::CivilDay Today() {
    return absl::ToCivilDay(now_, context_->settings.TimeZone("fr"));
  }

  // ZSCORE straight from Redis: nullopt when the member is not in the key.
  std::optional<double> RedisScore(const std::string& key,
                                   const std::string& post) {
    absl::StatusOr<redis::Reply> reply = redis_->Run({"ZSCORE", key, post});
    EXPECT_TRUE(reply.ok()) << reply.status();
    if (!reply.ok() || reply->is_nil()) return std::nullopt;
    return reply->AsDouble();
  }

  static void ExpectInvalid(const absl::Status& status,
                            const std::string& field) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), field + ":"))
        << "expected the message to name " << field << ": " << status;
  }
};

// 2026-11-22 10:00:00 UTC is t = 1,795,341,600 s; t − t0 = 1,795,341,600 −
// 1,134,028,003 = 661,313,597 s; / 45,000 = 14,695.857711111…; three up
// votes add log10(3) = 0.477121254…: hot = 14,696.334832365…
TEST_F(LeaderboardsTest, HotIsRedditsContinuousForm) {
  Publish({.id = "idea"});
  Vote("idea", 3);
  const Entries hot = Board(v1::BOARD_HOT);
  ASSERT_EQ(Ids(hot), std::vector<std::string>{"idea"});
  EXPECT_NEAR(hot[0].second, 14696.334832365, 1e-6);

  // s < 0 counts the order of magnitude against the post: 1 up, 2 down is
  // s = −1, log10(1) = 0, so only the time term is left.
  Publish({.id = "down"});
  Vote("down", 1, 2);
  EXPECT_NEAR(ScoreIn(Board(v1::BOARD_HOT), "down"), 14695.857711111, 1e-6);
}

TEST_F(LeaderboardsTest, HotRanksTheNewerOfTwoEqualPostsHigher) {
  Publish({.id = "older", .age = absl::Hours(24)});
  Publish({.id = "newer"});
  Vote("older", 2);
  Vote("newer", 2);
  const Entries hot = Board(v1::BOARD_HOT);
  EXPECT_EQ(Ids(hot), (std::vector<std::string>{"newer", "older"}));
  // A day is 86,400/45,000 = 1.92 orders of magnitude of votes.
  EXPECT_NEAR(hot[0].second - hot[1].second, 1.92, 1e-6);

  // Twelve up votes two days earlier: log10(12) − log10(2) = 0.78 does not
  // make up for 2 × 1.92.
  Publish({.id = "oldest", .age = absl::Hours(48)});
  Vote("oldest", kVoters);
  EXPECT_EQ(Ids(Board(v1::BOARD_HOT)).front(), "newer");
}

// Wilson lower bound at 95 % (z = 1.959964): 3 up 1 down is p = 0.75,
// n = 4: (0.75 + 3.841459/8 − 1.959964·sqrt((0.1875 + 3.841459/16)/4)) /
// (1 + 3.841459/4) = (0.75 + 0.480182 − 0.640697) / 1.960365 = 0.300642.
// 6 up 2 down, the same share, is surer: 0.409275.
TEST_F(LeaderboardsTest, BestIsTheWilsonLowerBound) {
  Publish({.id = "few"});
  Publish({.id = "more"});
  Publish({.id = "none"});
  Vote("few", 3, 1);
  Vote("more", 6, 2);
  const Entries best = Board(v1::BOARD_BEST);
  // No votes is a bound of 0: on the board, last.
  EXPECT_EQ(Ids(best), (std::vector<std::string>{"more", "few", "none"}));
  EXPECT_NEAR(ScoreIn(best, "few"), 0.300642, 1e-6);
  EXPECT_NEAR(ScoreIn(best, "more"), 0.409275, 1e-6);
  EXPECT_EQ(ScoreIn(best, "none"), 0);
}

TEST_F(LeaderboardsTest, TopIsUpsMinusDowns) {
  Publish({.id = "liked"});
  Publish({.id = "even"});
  Publish({.id = "disliked"});
  Vote("liked", 4, 1);
  Vote("even", 2, 2);
  Vote("disliked", 1, 3);
  const Entries top = Board(v1::BOARD_TOP);
  EXPECT_EQ(top, (Entries{{"liked", 3}, {"even", 0}, {"disliked", -2}}));
  // Retracting moves the score back.
  ASSERT_TRUE(Retract(Member("fr", VoterId(0)), "fr", "liked").ok());
  EXPECT_EQ(ScoreIn(Board(v1::BOARD_TOP), "liked"), 2);
}

// (ups + downs)^(min/max): 6 up 4 down is 10^(4/6) = 4.641589; 5 up 5 down
// is 10^1 = 10. Fewer than 10 votes (controversial_min_votes) stay off.
TEST_F(LeaderboardsTest, ControversialTakesPostsFromMinVotesOn) {
  Publish({.id = "split"});
  Publish({.id = "even"});
  Vote("split", 6, 4);
  Vote("even", 5, 4);
  const Entries before = Board(v1::BOARD_CONTROVERSIAL);
  ASSERT_EQ(Ids(before), std::vector<std::string>{"split"});
  EXPECT_NEAR(before[0].second, 4.641588834, 1e-9);

  absl::StatusOr<v1::Rank> off = RankOf("even", v1::BOARD_CONTROVERSIAL);
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->rank(), 0);
  EXPECT_EQ(off->score(), 0);
  EXPECT_EQ(off->total_size(), 1);

  // The tenth vote: 5 up 5 down, perfectly split, goes straight to the top.
  ASSERT_TRUE(
      Cast(Member("fr", VoterId(9)), "fr", "even", VOTE_CHOICE_DOWN).ok());
  const Entries after = Board(v1::BOARD_CONTROVERSIAL);
  ASSERT_EQ(Ids(after), (std::vector<std::string>{"even", "split"}));
  EXPECT_NEAR(after[0].second, 10, 1e-9);
}

// Stars, default BAYESIAN_AVERAGE with prior mean 3 and weight 5: ratings
// 5, 4, 5 are (5 × 3 + 14)/(5 + 3) = 29/8 = 3.625; an unrated entry is the
// prior, 15/5 = 3. Top for stars is rating_sum − 3 × rating_count = 14 − 9.
TEST_F(LeaderboardsTest, StarEntriesRankByBayesianAverage) {
  Publish({.id = "rated",
           .kind = CONTENT_KIND_CONTEST_ENTRY,
           .mode = EVALUATION_MODE_STARS});
  Publish({.id = "unrated",
           .kind = CONTENT_KIND_CONTEST_ENTRY,
           .mode = EVALUATION_MODE_STARS});
  const int stars[] = {5, 4, 5};
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<v1::CastVoteResponse> cast = Cast(
        Member("fr", VoterId(i)), "fr", "rated", VOTE_CHOICE_STARS, stars[i]);
    ASSERT_TRUE(cast.ok()) << cast.status();
  }
  EXPECT_EQ(Board(v1::BOARD_BEST, TIME_WINDOW_ALL_TIME, "fr", "",
                  CONTENT_KIND_CONTEST_ENTRY),
            (Entries{{"rated", 3.625}, {"unrated", 3.0}}));
  EXPECT_EQ(ScoreIn(Board(v1::BOARD_TOP), "rated"), 5);

  absl::StatusOr<v1::RankExplanation> why = Explain("rated", v1::BOARD_BEST);
  ASSERT_TRUE(why.ok()) << why.status();
  EXPECT_TRUE(absl::StartsWith(why->formula(), "Bayesian average"))
      << why->formula();
  EXPECT_EQ(Term(why->inputs(), "rating_sum")->value(), 14);
  EXPECT_EQ(Term(why->inputs(), "rating_count")->value(), 3);
  EXPECT_EQ(Term(why->parameters(), "prior_mean")->value(), 3);
  EXPECT_EQ(Term(why->parameters(), "prior_weight")->value(), 5);
  EXPECT_EQ(why->rank().score(), 3.625);
  EXPECT_EQ(why->rank().rank(), 1);
}

// Reviews take no primary vote by default: best and top rank them by
// helpfulness, 3 helpful 1 not helpful being the Wilson bound 0.300642.
TEST_F(LeaderboardsTest, ReviewsRankByHelpfulness) {
  Publish({.id = "review", .kind = CONTENT_KIND_REVIEW});
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(Cast(Member("fr", VoterId(i)), "fr", "review",
                     i < 3 ? VOTE_CHOICE_HELPFUL : VOTE_CHOICE_NOT_HELPFUL)
                    .ok());
  }
  EXPECT_NEAR(ScoreIn(Board(v1::BOARD_BEST), "review"), 0.300642, 1e-6);
  EXPECT_EQ(ScoreIn(Board(v1::BOARD_TOP), "review"), 2);
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"review", 2}}));
}

// Stars on the controversial board: 4-5 stars are ups, 1-2 stars downs.
// Five 1-star and five 5-star ratings are 10 votes split evenly: 10^1 = 10.
// Five 5-star ratings (net +10 over the neutral 3) are 5 votes, one-sided:
// below min_votes, off the board.
TEST_F(LeaderboardsTest, ControversialStarEntriesAreSplitRatings) {
  for (const char* id : {"polarised", "loved"}) {
    Publish({.id = id,
             .kind = CONTENT_KIND_CONTEST_ENTRY,
             .mode = EVALUATION_MODE_STARS});
  }
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(Cast(Member("fr", VoterId(i)), "fr", "polarised",
                     VOTE_CHOICE_STARS, i < 5 ? 1 : 5)
                    .ok());
    if (i < 5) {
      ASSERT_TRUE(
          Cast(Member("fr", VoterId(i)), "fr", "loved", VOTE_CHOICE_STARS, 5)
              .ok());
    }
  }
  EXPECT_EQ(Board(v1::BOARD_CONTROVERSIAL), (Entries{{"polarised", 10}}));
  absl::StatusOr<v1::RankExplanation> why =
      Explain("polarised", v1::BOARD_CONTROVERSIAL);
  ASSERT_TRUE(why.ok()) << why.status();
  EXPECT_EQ(Term(why->inputs(), "ups")->value(), 5);
  EXPECT_EQ(Term(why->inputs(), "downs")->value(), 5);
  EXPECT_EQ(Term(why->inputs(), "balance")->value(), 1);
}

// Shares and clicks of a post's short links, per day in the window.
TEST_F(LeaderboardsTest, MostSharedCountsSharesAndClicks) {
  Publish({.id = "shared"});
  Publish({.id = "quiet"});
  auto share = [&](bool click) {
    events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_SHARE);
    if (click) {
      event.mutable_link_clicked()->mutable_post()->set_name(
          PostName("fr", "shared"));
    } else {
      event.mutable_post_shared()->mutable_post()->set_name(
          PostName("fr", "shared"));
    }
    Apply(event);
  };
  share(false);
  share(true);
  EXPECT_EQ(Board(v1::BOARD_MOST_SHARED), (Entries{{"shared", 2}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_SHARED, TIME_WINDOW_DAY),
            (Entries{{"shared", 2}}));
  now_ += absl::Hours(24 * 2);
  share(true);
  EXPECT_EQ(Board(v1::BOARD_MOST_SHARED, TIME_WINDOW_DAY),
            (Entries{{"shared", 1}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_SHARED, TIME_WINDOW_WEEK),
            (Entries{{"shared", 3}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_SHARED), (Entries{{"shared", 3}}));
}

TEST_F(LeaderboardsTest, MostCommentedCountsPublishedReplies) {
  Publish({.id = "busy", .kind = CONTENT_KIND_QUESTION});
  Publish({.id = "quiet", .kind = CONTENT_KIND_QUESTION});
  Publish({.id = "silent", .kind = CONTENT_KIND_QUESTION});
  Publish({.id = "a1", .kind = CONTENT_KIND_ANSWER, .in_reply_to = "busy"});
  Publish({.id = "a2", .kind = CONTENT_KIND_ANSWER, .in_reply_to = "busy"});
  Publish({.id = "c1", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "busy"});
  Publish({.id = "c2", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "quiet"});
  // No replies is no place on the board.
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED),
            (Entries{{"busy", 3}, {"quiet", 1}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED, TIME_WINDOW_DAY),
            (Entries{{"busy", 3}, {"quiet", 1}}));

  // A hidden reply no longer counts; the last one gone takes the post off.
  Hide("fr", "a2");
  Hide("fr", "c2");
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED), (Entries{{"busy", 2}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED, TIME_WINDOW_DAY),
            (Entries{{"busy", 2}}));
}

TEST_F(LeaderboardsTest, CommentsAreNeverOnBoards) {
  Publish({.id = "q", .kind = CONTENT_KIND_QUESTION});
  Publish({.id = "c", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "q"});
  for (int i = 0; i < kVoters; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", VoterId(i)), "fr", "c", VOTE_CHOICE_LIKE).ok());
  }
  for (v1::Board board : kTallyBoards) {
    EXPECT_FALSE(Holds(Board(board), "c")) << v1::Board_Name(board);
    EXPECT_FALSE(Holds(
        Board(board, TIME_WINDOW_ALL_TIME, "fr", "", CONTENT_KIND_COMMENT),
        "c"))
        << v1::Board_Name(board);
  }
  EXPECT_FALSE(Holds(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), "c"));
  // A comment is a known, published post: off the board, not unknown.
  absl::StatusOr<v1::Rank> rank = RankOf("c", v1::BOARD_TOP);
  ASSERT_TRUE(rank.ok()) << rank.status();
  EXPECT_EQ(rank->rank(), 0);
}

TEST_F(LeaderboardsTest, SpaceScopeHoldsOnlyThatSpacesPosts) {
  Publish({.id = "in-lab", .space = "lab"});
  Publish({.id = "in-forum", .space = "forum"});
  Vote("in-lab", 1);
  Vote("in-forum", 2);
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME, "fr", "lab"),
            (Entries{{"in-lab", 1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK, "fr", "forum"),
            (Entries{{"in-forum", 2}}));
  EXPECT_EQ(Ids(Board(v1::BOARD_HOT)),
            (std::vector<std::string>{"in-forum", "in-lab"}));
  EXPECT_TRUE(
      Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME, "fr", "nowhere").empty());
}

TEST_F(LeaderboardsTest, KindScopeHoldsOnlyThatKind) {
  Publish({.id = "idea", .kind = CONTENT_KIND_IDEA});
  Publish({.id = "question", .kind = CONTENT_KIND_QUESTION});
  Vote("idea", 1);
  Vote("question", 2);
  EXPECT_EQ(
      Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME, "fr", "", CONTENT_KIND_IDEA),
      (Entries{{"idea", 1}}));
  // Kind combines with a space.
  EXPECT_EQ(
      Board(v1::BOARD_TOP, TIME_WINDOW_DAY, "fr", "lab", CONTENT_KIND_QUESTION),
      (Entries{{"question", 2}}));
  // Entries say what kind of post they are.
  absl::StatusOr<v1::ListLeaderboardResponse> all =
      ListLeaderboard(*context_, nullptr, Request(v1::BOARD_TOP));
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->entries_size(), 2);
  EXPECT_EQ(all->entries(0).post().name(), "tenants/fr/posts/question");
  EXPECT_EQ(all->entries(0).post().kind(), CONTENT_KIND_QUESTION);
  EXPECT_EQ(all->entries(1).post().kind(), CONTENT_KIND_IDEA);
}

TEST_F(LeaderboardsTest, CategoryScopeHoldsOnlyThatCategorysPosts) {
  Publish({.id = "billing", .category = "billing"});
  Publish({.id = "shipping", .category = "shipping"});
  Publish({.id = "loose"});
  Vote("billing", 1);
  Vote("shipping", 2);
  Vote("loose", 3);
  v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP);
  request.set_category("tenants/fr/spaces/lab/categories/billing");
  EXPECT_EQ(Read(request), (Entries{{"billing", 1}}));
  request.set_window(TIME_WINDOW_WEEK);
  EXPECT_EQ(Read(request), (Entries{{"billing", 1}}));
  request.set_window(TIME_WINDOW_ALL_TIME);
  request.set_category("tenants/fr/spaces/lab/categories/shipping");
  request.set_kind(CONTENT_KIND_IDEA);
  EXPECT_EQ(Read(request), (Entries{{"shipping", 2}}));
  // The same category id in another space is another category.
  request.set_category("tenants/fr/spaces/forum/categories/shipping");
  EXPECT_TRUE(Read(request).empty());
}

// Votes from three moments: `old` on day 0, `mid` on day 7, `fresh` on
// day 10 (now). DAY is today, WEEK today and the 6 days before, MONTH today
// and the 29 before.
//
// The WEEK and MONTH unions are cached in Redis for 30 seconds of real time
// (the fixture clock does not move Redis time), but the cached key's name
// holds the day, so each whole-day move of the fixture clock reads a fresh
// union.
TEST_F(LeaderboardsTest, TopWindowsSumTheDaysInTheWindow) {
  Publish({.id = "old"});
  Publish({.id = "mid"});
  Publish({.id = "fresh"});
  Vote("old", 2);
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"old", 2}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK), (Entries{{"old", 2}}));

  now_ += absl::Hours(24 * 7);
  Vote("mid", 1);
  now_ += absl::Hours(24 * 3);
  Vote("fresh", 3);

  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"fresh", 3}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK),
            (Entries{{"fresh", 3}, {"mid", 1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_MONTH),
            (Entries{{"fresh", 3}, {"old", 2}, {"mid", 1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME),
            (Entries{{"fresh", 3}, {"old", 2}, {"mid", 1}}));

  // Day 31: old's votes are 31 days back, out of the month; all time keeps
  // them.
  now_ += absl::Hours(24 * 21);
  EXPECT_TRUE(Board(v1::BOARD_TOP, TIME_WINDOW_DAY).empty());
  EXPECT_TRUE(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK).empty());
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_MONTH),
            (Entries{{"fresh", 3}, {"mid", 1}}));
  EXPECT_EQ(Ids(Board(v1::BOARD_TOP)),
            (std::vector<std::string>{"fresh", "old", "mid"}));

  // GetRank reads the same windows.
  absl::StatusOr<v1::Rank> rank =
      RankOf("mid", v1::BOARD_TOP, TIME_WINDOW_MONTH);
  ASSERT_TRUE(rank.ok()) << rank.status();
  EXPECT_EQ(rank->rank(), 2);
  EXPECT_EQ(rank->score(), 1);
  EXPECT_EQ(rank->total_size(), 2);
  EXPECT_EQ(rank->window(), TIME_WINDOW_MONTH);
}

// A vote changed on a later day leaves the day it was cast on and counts
// on the day of the change.
TEST_F(LeaderboardsTest, ChangedVoteCountsOnTheDayOfTheChange) {
  Publish({.id = "idea"});
  Vote("idea", 2);
  now_ += absl::Hours(24 * 2);
  ASSERT_TRUE(
      Cast(Member("fr", VoterId(0)), "fr", "idea", VOTE_CHOICE_DOWN).ok());
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"idea", -1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP), (Entries{{"idea", 0}}));
  const int64_t generation = GenerationOf("fr");
  const RankingKeys names(context_->keys, "fr");
  EXPECT_EQ(RedisScore(names.DayBucket(generation, v1::BOARD_TOP, Scope{},
                                       Today() - 2),
                       "idea"),
            1);
}

// Day buckets expire by Redis TTL a little over a month after their day
// (BucketExpiry: day + 33, midnight UTC), whether written by a vote or by
// the repair of a post; the windows never read a bucket that old.
TEST_F(LeaderboardsTest, DayBucketsExpireAMonthAfterTheirDay) {
  Publish({.id = "q", .kind = CONTENT_KIND_QUESTION, .category = "billing"});
  const int64_t generation = GenerationOf("fr");
  const RankingKeys names(context_->keys, "fr");
  PostInfo post;
  post.tenant = "fr";
  post.id = "q";
  post.kind = CONTENT_KIND_QUESTION;
  post.space = "lab";
  post.category = "lab/billing";
  ASSERT_EQ(ScopesOf(post).size(), 6u);
  const int64_t expected = BucketExpiry(Today());
  EXPECT_EQ(expected, absl::ToUnixSeconds(absl::FromCivil(
                          absl::CivilDay(2026, 12, 25), absl::UTCTimeZone())));
  auto expect_buckets = [&](v1::Board board, double score) {
    for (const Scope& scope : ScopesOf(post)) {
      const std::string key =
          names.DayBucket(generation, board, scope, Today());
      EXPECT_EQ(RedisScore(key, "q"), score) << key;
      absl::StatusOr<redis::Reply> expiry = redis_->Run({"EXPIRETIME", key});
      ASSERT_TRUE(expiry.ok()) << expiry.status();
      EXPECT_EQ(expiry->integer, expected) << key;
    }
  };
  // Written by the votes' increments.
  Vote("q", 2);
  expect_buckets(v1::BOARD_TOP, 2);
  // Written by the repair of q when a reply is published.
  Publish({.id = "a", .kind = CONTENT_KIND_ANSWER, .in_reply_to = "q"});
  expect_buckets(v1::BOARD_MOST_COMMENTED, 1);
  expect_buckets(v1::BOARD_TOP, 2);
  // All-time boards never expire.
  absl::StatusOr<redis::Reply> forever = redis_->Run(
      {"TTL", names.Board(generation, v1::BOARD_TOP, ScopesOf(post)[0])});
  ASSERT_TRUE(forever.ok());
  EXPECT_EQ(forever->integer, -1);
}

// The tenant's day, not UTC's: 23:30 UTC on 22 November is already 00:30
// on the 23rd in Paris, so a vote then and one an hour later share a day,
// and the vote from 22:30 UTC (23:30 in Paris) does not.
TEST_F(LeaderboardsTest, DayIsTheTenantsCalendarDay) {
  Publish({.id = "late"});
  Publish({.id = "q", .kind = CONTENT_KIND_QUESTION});
  now_ = absl::FromCivil(absl::CivilSecond(2026, 11, 22, 22, 30, 0),
                         absl::UTCTimeZone());
  Vote("late", 1);
  now_ += absl::Hours(1);
  ASSERT_TRUE(
      Cast(Member("fr", VoterId(1)), "fr", "late", VOTE_CHOICE_UP).ok());
  Publish({.id = "a", .kind = CONTENT_KIND_ANSWER, .in_reply_to = "q"});
  now_ += absl::Hours(1);
  EXPECT_EQ(Today(), absl::CivilDay(2026, 11, 23));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"late", 1}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED, TIME_WINDOW_DAY),
            (Entries{{"q", 1}}));
  // The repair of a post computes its days in SQL: the same calendar.
  Hide("fr", "q");
  Publish({.id = "q", .kind = CONTENT_KIND_QUESTION});
  Publish({.id = "late"});
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_DAY), (Entries{{"late", 1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK), (Entries{{"late", 2}}));
  EXPECT_EQ(Board(v1::BOARD_MOST_COMMENTED, TIME_WINDOW_DAY),
            (Entries{{"q", 1}}));
}

// Equal scores are ordered by id, the same way on every page and in
// GetRank.
TEST_F(LeaderboardsTest, TiesKeepOneOrderAcrossPagesAndGetRank) {
  for (const char* id : {"b", "d", "a", "c"}) {
    Publish({.id = id});
    Vote(id, 2);
  }
  std::vector<std::string> listed;
  v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP);
  request.set_page_size(1);
  do {
    absl::StatusOr<v1::ListLeaderboardResponse> page =
        ListLeaderboard(*context_, nullptr, request);
    ASSERT_TRUE(page.ok()) << page.status();
    ASSERT_EQ(page->entries_size(), 1);
    listed.push_back(page->entries(0).post().name());
    absl::StatusOr<v1::Rank> rank = GetRank(
        *context_, nullptr,
        PostRequest<v1::GetRankRequest>(
            listed.back().substr(listed.back().rfind('/') + 1), v1::BOARD_TOP));
    ASSERT_TRUE(rank.ok()) << rank.status();
    EXPECT_EQ(rank->rank(), page->entries(0).rank());
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  ASSERT_EQ(listed.size(), 4u);
  std::vector<std::string> sorted = listed;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::string> reversed(sorted.rbegin(), sorted.rend());
  EXPECT_TRUE(listed == sorted || listed == reversed)
      << "ties in no id order: " << listed[0] << " " << listed[1] << " "
      << listed[2] << " " << listed[3];
}

// content announces a new category with PostUpdated: the post must leave
// the old category's boards and buckets and join the new one's.
// The PostUpdated handler, which alone still knows the old category,
// takes the post off the old category's keys; the repair then writes the
// new ones.
TEST_F(LeaderboardsTest, PostMovedToAnotherCategoryChangesCategoryBoards) {
  Publish({.id = "moved", .category = "billing"});
  Vote("moved", 2);
  events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  event.mutable_post_updated()->mutable_post()->set_name(
      PostName("fr", "moved"));
  event.mutable_post_updated()->set_category(
      "tenants/fr/spaces/lab/categories/shipping");
  event.mutable_post_updated()->set_state(common::v1::POST_STATE_PUBLISHED);
  Apply(event);

  for (TimeWindow window : {TIME_WINDOW_ALL_TIME, TIME_WINDOW_DAY}) {
    v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP, window);
    request.set_category("tenants/fr/spaces/lab/categories/shipping");
    EXPECT_EQ(Read(request), (Entries{{"moved", 2}}));
    request.set_category("tenants/fr/spaces/lab/categories/billing");
    EXPECT_TRUE(Read(request).empty()) << common::v1::TimeWindow_Name(window);
    request.set_kind(CONTENT_KIND_IDEA);
    EXPECT_TRUE(Read(request).empty()) << common::v1::TimeWindow_Name(window);
  }
}

TEST_F(LeaderboardsTest, HiddenPostLeavesEveryBoardScopeAndWindowAtOnce) {
  Publish({.id = "gone", .category = "billing"});
  Publish({.id = "stays", .category = "billing"});
  Vote("gone", 6, 4);  // on every board, controversial included
  Vote("stays", 7, 3);
  Publish({.id = "r", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "gone"});
  Publish({.id = "r2", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "stays"});

  struct BoardWindow {
    v1::Board board;
    TimeWindow window;
  };
  std::vector<BoardWindow> reads;
  for (v1::Board board : kTallyBoards) {
    if (board == v1::BOARD_MOST_SHARED) continue;  // no shares here
    reads.push_back({board, TIME_WINDOW_ALL_TIME});
  }
  for (v1::Board board : {v1::BOARD_TOP, v1::BOARD_MOST_COMMENTED}) {
    for (TimeWindow window :
         {TIME_WINDOW_DAY, TIME_WINDOW_WEEK, TIME_WINDOW_MONTH}) {
      reads.push_back({board, window});
    }
  }
  std::vector<v1::ListLeaderboardRequest> requests;
  for (const BoardWindow& read : reads) {
    for (int scope = 0; scope < 3; ++scope) {
      for (bool with_kind : {false, true}) {
        v1::ListLeaderboardRequest request = Request(read.board, read.window);
        if (scope == 1) request.set_space("tenants/fr/spaces/lab");
        if (scope == 2) {
          request.set_category("tenants/fr/spaces/lab/categories/billing");
        }
        if (with_kind) request.set_kind(CONTENT_KIND_IDEA);
        requests.push_back(request);
      }
    }
  }
  // Reading every board now also caches the WEEK and MONTH unions.
  for (const v1::ListLeaderboardRequest& request : requests) {
    EXPECT_TRUE(Holds(Read(request), "gone")) << request.ShortDebugString();
  }
  const int64_t generation = GenerationOf("fr");
  const RankingKeys names(context_->keys, "fr");
  const std::string union_key =
      names.WindowUnion(generation, v1::BOARD_TOP, Scope{}, 7, Today());
  ASSERT_EQ(RedisScore(union_key, "gone"), 2);

  Hide("fr", "gone");
  for (const v1::ListLeaderboardRequest& request : requests) {
    const Entries entries = Read(request);
    EXPECT_FALSE(Holds(entries, "gone")) << request.ShortDebugString();
    EXPECT_TRUE(Holds(entries, "stays")) << request.ShortDebugString();
  }
  EXPECT_EQ(RedisScore(union_key, "gone"), std::nullopt);
  absl::StatusOr<v1::Rank> rank = RankOf("gone", v1::BOARD_HOT);
  EXPECT_EQ(rank.status().code(), absl::StatusCode::kNotFound) << rank.status();
}

TEST_F(LeaderboardsTest, PagesWalkTheBoardInRankOrder) {
  for (int i = 1; i <= 5; ++i) {
    Publish({.id = absl::StrCat("p", i)});
    Vote(absl::StrCat("p", i), i);
  }
  v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP);
  request.set_page_size(2);
  std::vector<std::string> seen;
  std::vector<int64_t> ranks;
  int pages = 0;
  do {
    absl::StatusOr<v1::ListLeaderboardResponse> page =
        ListLeaderboard(*context_, nullptr, request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->total_size(), 5);
    EXPECT_LE(page->entries_size(), 2);
    for (const v1::LeaderboardEntry& entry : page->entries()) {
      seen.push_back(entry.post().name());
      ranks.push_back(entry.rank());
      EXPECT_EQ(entry.score(), 6 - entry.rank());
    }
    request.set_page_token(page->next_page_token());
    ASSERT_LE(++pages, 5);
  } while (!request.page_token().empty());
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "tenants/fr/posts/p5", "tenants/fr/posts/p4",
                      "tenants/fr/posts/p3", "tenants/fr/posts/p2",
                      "tenants/fr/posts/p1"}));
  EXPECT_EQ(ranks, (std::vector<int64_t>{1, 2, 3, 4, 5}));

  // GetRank agrees with the pages.
  absl::StatusOr<v1::Rank> rank = RankOf("p2", v1::BOARD_TOP);
  ASSERT_TRUE(rank.ok()) << rank.status();
  EXPECT_EQ(rank->rank(), 4);
  EXPECT_EQ(rank->score(), 2);
  EXPECT_EQ(rank->total_size(), 5);
  EXPECT_EQ(rank->board(), v1::BOARD_TOP);
  EXPECT_EQ(rank->window(), TIME_WINDOW_ALL_TIME);

  // A page size above 100 is served as 100.
  request = Request(v1::BOARD_TOP);
  request.set_page_size(1000);
  absl::StatusOr<v1::ListLeaderboardResponse> all =
      ListLeaderboard(*context_, nullptr, request);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->entries_size(), 5);
}

TEST_F(LeaderboardsTest, ForeignPageTokensAreRefused) {
  Publish({.id = "p"});
  for (const std::string& token :
       {std::string("not a token"), std::string("!!!!"),
        absl::WebSafeBase64Escape("-2"), absl::WebSafeBase64Escape("abc"),
        std::string(100, 'A')}) {
    v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP);
    request.set_page_token(token);
    ExpectInvalid(ListLeaderboard(*context_, nullptr, request).status(),
                  "page_token");
  }
}

TEST_F(LeaderboardsTest, GetRankOfUnknownOrHiddenPostIsNotFound) {
  Publish({.id = "shown"});
  Publish({.id = "hidden"});
  Vote("hidden", 2);
  Hide("fr", "hidden");
  for (const char* post : {"nope", "hidden"}) {
    absl::StatusOr<v1::Rank> rank = RankOf(post, v1::BOARD_TOP);
    EXPECT_EQ(rank.status().code(), absl::StatusCode::kNotFound)
        << post << ": " << rank.status();
    absl::StatusOr<v1::RankExplanation> why = Explain(post, v1::BOARD_TOP);
    EXPECT_EQ(why.status().code(), absl::StatusCode::kNotFound)
        << post << ": " << why.status();
  }
  // A post of the tenant in a scope it is not in: rank 0, not an error.
  v1::GetRankRequest request =
      PostRequest<v1::GetRankRequest>("shown", v1::BOARD_TOP);
  request.set_space("tenants/fr/spaces/forum");
  absl::StatusOr<v1::Rank> elsewhere = GetRank(*context_, nullptr, request);
  ASSERT_TRUE(elsewhere.ok()) << elsewhere.status();
  EXPECT_EQ(elsewhere->rank(), 0);
  EXPECT_EQ(elsewhere->total_size(), 0);
}

TEST_F(LeaderboardsTest, ExplainRankGivesTheHotInputsAndNeighbours) {
  Publish({.id = "first"});
  Publish({.id = "second"});
  Publish({.id = "third"});
  Vote("first", 5, 1);
  Vote("second", 3);
  Vote("third", 1);

  absl::StatusOr<v1::RankExplanation> why = Explain("second", v1::BOARD_HOT);
  ASSERT_TRUE(why.ok()) << why.status();
  EXPECT_EQ(why->formula(),
            "sign(s)·log10(max(|s|,1)) + (t − t0)/gravity, s = ups − downs");
  EXPECT_EQ(Term(why->inputs(), "ups")->value(), 3);
  EXPECT_EQ(Term(why->inputs(), "downs")->value(), 0);
  EXPECT_EQ(Term(why->inputs(), "s")->value(), 3);
  EXPECT_EQ(Term(why->inputs(), "t")->value(), 1795341600);
  EXPECT_EQ(Term(why->parameters(), "t0")->value(), kRedditEpoch);
  EXPECT_EQ(Term(why->parameters(), "gravity")->value(), 45000);
  EXPECT_FALSE(Term(why->inputs(), "t")->description().empty());
  // The rank and score are the board's, and the formula reproduces it.
  EXPECT_EQ(why->rank().board(), v1::BOARD_HOT);
  EXPECT_EQ(why->rank().rank(), 2);
  EXPECT_EQ(why->rank().total_size(), 3);
  EXPECT_NEAR(why->rank().score(), 14696.334832365, 1e-6);
  EXPECT_EQ(why->above().rank(), 1);
  EXPECT_EQ(why->above().post().name(), "tenants/fr/posts/first");
  // first: s = 4, log10(4) = 0.602060 over the same time term.
  EXPECT_NEAR(why->above().score(), 14696.459771111, 1e-6);
  EXPECT_EQ(why->below().rank(), 3);
  EXPECT_EQ(why->below().post().name(), "tenants/fr/posts/third");
  EXPECT_NEAR(why->below().score(), 14695.857711111, 1e-6);
  EXPECT_EQ(why->compute_time().seconds(), absl::ToUnixSeconds(now_));

  // The ends have one neighbour each.
  absl::StatusOr<v1::RankExplanation> top = Explain("first", v1::BOARD_HOT);
  ASSERT_TRUE(top.ok()) << top.status();
  EXPECT_FALSE(top->has_above());
  EXPECT_EQ(top->below().post().name(), "tenants/fr/posts/second");
  absl::StatusOr<v1::RankExplanation> last = Explain("third", v1::BOARD_HOT);
  ASSERT_TRUE(last.ok()) << last.status();
  EXPECT_EQ(last->above().post().name(), "tenants/fr/posts/second");
  EXPECT_FALSE(last->has_below());
}

TEST_F(LeaderboardsTest, ExplainRankGivesTheWilsonInputsOfTheTally) {
  Publish({.id = "idea"});
  Vote("idea", 3, 1);
  absl::StatusOr<v1::RankExplanation> why = Explain("idea", v1::BOARD_BEST);
  ASSERT_TRUE(why.ok()) << why.status();
  EXPECT_TRUE(absl::StartsWith(why->formula(), "Wilson score lower bound"))
      << why->formula();
  const TallyCounts tally = TallyInDatabase("fr", "idea");
  EXPECT_EQ(Term(why->inputs(), "ups")->value(), tally.all.ups);
  EXPECT_EQ(Term(why->inputs(), "downs")->value(), tally.all.downs);
  EXPECT_EQ(Term(why->inputs(), "n")->value(), 4);
  EXPECT_EQ(Term(why->inputs(), "p")->value(), 0.75);
  EXPECT_EQ(Term(why->parameters(), "confidence")->value(), 0.95);
  EXPECT_NEAR(Term(why->parameters(), "z")->value(), 1.959964, 1e-6);
  EXPECT_NEAR(why->rank().score(), 0.300642, 1e-6);
  EXPECT_EQ(why->rank().rank(), 1);
  EXPECT_FALSE(why->has_above());
  EXPECT_FALSE(why->has_below());

  // Off the controversial board the formula and inputs are still there.
  absl::StatusOr<v1::RankExplanation> off =
      Explain("idea", v1::BOARD_CONTROVERSIAL);
  ASSERT_TRUE(off.ok()) << off.status();
  EXPECT_EQ(off->rank().rank(), 0);
  EXPECT_NEAR(Term(off->inputs(), "balance")->value(), 1.0 / 3, 1e-12);
  EXPECT_EQ(Term(off->parameters(), "min_votes")->value(), 10);

  // A windowed board explains the window's sum.
  absl::StatusOr<v1::RankExplanation> week =
      Explain("idea", v1::BOARD_TOP, TIME_WINDOW_WEEK);
  ASSERT_TRUE(week.ok()) << week.status();
  EXPECT_EQ(week->rank().score(), 2);
  EXPECT_EQ(Term(week->inputs(), "window_sum")->value(), 2);
}

TEST_F(LeaderboardsTest, BadRequestsNameTheField) {
  Publish({.id = "p"});
  auto list =
      [&](const std::function<void(v1::ListLeaderboardRequest&)>& edit) {
        v1::ListLeaderboardRequest request = Request(v1::BOARD_TOP);
        edit(request);
        return ListLeaderboard(*context_, nullptr, request).status();
      };
  ExpectInvalid(list([](auto& r) { r.set_board(v1::BOARD_UNSPECIFIED); }),
                "board");
  ExpectInvalid(list([](auto& r) { r.set_board(static_cast<v1::Board>(99)); }),
                "board");
  ExpectInvalid(list([](auto& r) {
                  r.set_board(v1::BOARD_HOT);
                  r.set_window(TIME_WINDOW_DAY);
                }),
                "window");
  ExpectInvalid(list([](auto& r) {
                  r.set_board(v1::BOARD_BEST);
                  r.set_window(TIME_WINDOW_WEEK);
                }),
                "window");
  ExpectInvalid(
      list([](auto& r) { r.set_window(static_cast<TimeWindow>(42)); }),
      "window");
  ExpectInvalid(list([](auto& r) {
                  r.set_space("tenants/fr/spaces/lab");
                  r.set_category("tenants/fr/spaces/lab/categories/billing");
                }),
                "space");
  ExpectInvalid(list([](auto& r) { r.set_space("tenants/it/spaces/lab"); }),
                "space");
  ExpectInvalid(list([](auto& r) { r.set_space("spaces/lab"); }), "space");
  ExpectInvalid(list([](auto& r) {
                  r.set_category("tenants/it/spaces/lab/categories/billing");
                }),
                "category");
  ExpectInvalid(list([](auto& r) {
                  r.set_kind(static_cast<common::v1::ContentKind>(77));
                }),
                "kind");
  ExpectInvalid(list([](auto& r) { r.set_page_size(-1); }), "page_size");
  ExpectInvalid(list([](auto& r) { r.set_parent("fr"); }), "parent");

  v1::GetRankRequest rank = PostRequest<v1::GetRankRequest>("p", v1::BOARD_TOP);
  rank.set_board(v1::BOARD_UNSPECIFIED);
  ExpectInvalid(GetRank(*context_, nullptr, rank).status(), "board");
  rank = PostRequest<v1::GetRankRequest>("p", v1::BOARD_HOT, TIME_WINDOW_DAY);
  ExpectInvalid(GetRank(*context_, nullptr, rank).status(), "window");
  rank = PostRequest<v1::GetRankRequest>("p", v1::BOARD_TOP);
  rank.set_space("tenants/it/spaces/lab");
  ExpectInvalid(GetRank(*context_, nullptr, rank).status(), "space");
  rank.clear_space();
  rank.set_target("posts/p");
  ExpectInvalid(GetRank(*context_, nullptr, rank).status(), "target");
  rank.clear_target();
  ExpectInvalid(GetRank(*context_, nullptr, rank).status(), "target");

  v1::ExplainRankRequest explain =
      PostRequest<v1::ExplainRankRequest>("p", v1::BOARD_UNSPECIFIED);
  ExpectInvalid(ExplainRank(*context_, nullptr, explain).status(), "board");
  explain =
      PostRequest<v1::ExplainRankRequest>("p", v1::BOARD_BEST, TIME_WINDOW_DAY);
  ExpectInvalid(ExplainRank(*context_, nullptr, explain).status(), "window");
}

TEST_F(LeaderboardsTest, OtherTenantsTokensAreDeniedAnonymousReadersServed) {
  Publish({.id = "p"});
  Vote("p", 1);
  const auth::Principal italian = Member("it", "v0");
  const absl::Status listed =
      ListLeaderboard(*context_, &italian, Request(v1::BOARD_TOP)).status();
  EXPECT_EQ(listed.code(), absl::StatusCode::kPermissionDenied) << listed;
  EXPECT_EQ(status::ReasonOf(listed), "TENANT_MISMATCH");
  const absl::Status ranked =
      GetRank(*context_, &italian,
              PostRequest<v1::GetRankRequest>("p", v1::BOARD_TOP))
          .status();
  EXPECT_EQ(ranked.code(), absl::StatusCode::kPermissionDenied) << ranked;
  const absl::Status explained =
      ExplainRank(*context_, &italian,
                  PostRequest<v1::ExplainRankRequest>("p", v1::BOARD_TOP))
          .status();
  EXPECT_EQ(explained.code(), absl::StatusCode::kPermissionDenied) << explained;

  // Anonymous readers and the tenant's own members are served.
  const auth::Principal french = Member("fr", "v0");
  for (const auth::Principal* caller :
       {static_cast<const auth::Principal*>(nullptr), &french}) {
    absl::StatusOr<v1::ListLeaderboardResponse> list =
        ListLeaderboard(*context_, caller, Request(v1::BOARD_TOP));
    ASSERT_TRUE(list.ok()) << list.status();
    EXPECT_EQ(list->entries_size(), 1);
    absl::StatusOr<v1::Rank> rank = GetRank(
        *context_, caller, PostRequest<v1::GetRankRequest>("p", v1::BOARD_TOP));
    ASSERT_TRUE(rank.ok()) << rank.status();
    EXPECT_EQ(rank->rank(), 1);
    EXPECT_TRUE(
        ExplainRank(*context_, caller,
                    PostRequest<v1::ExplainRankRequest>("p", v1::BOARD_TOP))
            .ok());
  }
}

// The same post id in two tenants is two posts: votes in fr never reach
// it's boards, and no key of tenant it holds a post only fr has.
TEST_F(LeaderboardsTest, TenantsBoardsNeverHoldAnotherTenantsPosts) {
  AnnounceMember("it", "author");
  AnnounceMember("it", VoterId(0));
  Publish({.tenant = "fr", .id = "shared", .category = "billing"});
  Publish({.tenant = "fr", .id = "fr-only", .category = "billing"});
  Publish({.tenant = "it", .id = "shared", .category = "billing"});
  Vote("shared", 3, 0, "fr");
  Vote("fr-only", 6, 4, "fr");
  Vote("shared", 1, 0, "it");
  Publish({.tenant = "fr",
           .id = "fr-reply",
           .kind = CONTENT_KIND_ANSWER,
           .in_reply_to = "shared"});

  for (v1::Board board : kTallyBoards) {
    const Entries it = Board(board, TIME_WINDOW_ALL_TIME, "it");
    EXPECT_FALSE(Holds(it, "fr-only")) << v1::Board_Name(board);
    EXPECT_FALSE(Holds(it, "fr-reply")) << v1::Board_Name(board);
  }
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME, "it"),
            (Entries{{"shared", 1}}));
  EXPECT_EQ(Board(v1::BOARD_TOP, TIME_WINDOW_WEEK, "it"),
            (Entries{{"shared", 1}}));
  EXPECT_EQ(ScoreIn(Board(v1::BOARD_TOP), "shared"), 3);
  EXPECT_TRUE(
      Board(v1::BOARD_MOST_COMMENTED, TIME_WINDOW_ALL_TIME, "it").empty());

  // Every sorted set and hash under it's hash tag, read straight from Redis.
  const std::string pattern =
      absl::StrCat(redis_namespace_.prefix(), ":\\{it\\}:*");
  std::string cursor = "0";
  int keys = 0;
  do {
    absl::StatusOr<redis::Reply> scan =
        redis_->Run({"SCAN", cursor, "MATCH", pattern, "COUNT", "1000"});
    ASSERT_TRUE(scan.ok()) << scan.status();
    cursor = scan->elements[0].text;
    for (const redis::Reply& key : scan->elements[1].elements) {
      ++keys;
      EXPECT_FALSE(absl::StrContains(key.text, "fr-")) << key.text;
      absl::StatusOr<redis::Reply> type = redis_->Run({"TYPE", key.text});
      ASSERT_TRUE(type.ok());
      redis::Command members;
      if (type->text == "zset") {
        members = {"ZRANGE", key.text, "0", "-1"};
      } else if (type->text == "hash") {
        members = {"HKEYS", key.text};
      } else {
        continue;
      }
      absl::StatusOr<redis::Reply> read = redis_->Run(members);
      ASSERT_TRUE(read.ok());
      for (const redis::Reply& member : read->elements) {
        EXPECT_FALSE(absl::StartsWith(member.text, "fr-"))
            << key.text << " holds " << member.text;
      }
    }
  } while (cursor != "0");
  EXPECT_GT(keys, 10);
}

}  // namespace
}  // namespace agora::ranking
