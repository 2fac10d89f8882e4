// Casting, changing and retracting votes through the batch writer on real
// PostgreSQL and Redis: durable rows, tallies, idempotency, the checks on
// who may vote for what, and the tallies readers get.
#include <thread>

#include "libs/status/error_details.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::CONTENT_KIND_ANSWER;
using common::v1::CONTENT_KIND_REVIEW;
using common::v1::EVALUATION_MODE_LIKE;
using common::v1::EVALUATION_MODE_STARS;
using common::v1::VOTE_CHOICE_DOWN;
using common::v1::VOTE_CHOICE_HELPFUL;
using common::v1::VOTE_CHOICE_LIKE;
using common::v1::VOTE_CHOICE_STARS;
using common::v1::VOTE_CHOICE_UP;

class VotesTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    for (const char* voter : {"ana", "ben", "chloe"}) {
      AnnounceMember("fr", voter);
    }
    Publish({.id = "idea1"});
  }
};

TEST_F(VotesTest, UpVoteIsStoredCountedAndAnnounced) {
  absl::StatusOr<v1::CastVoteResponse> cast =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP);
  ASSERT_TRUE(cast.ok()) << cast.status();
  EXPECT_TRUE(cast->changed());
  EXPECT_EQ(cast->vote().choice(), VOTE_CHOICE_UP);
  EXPECT_EQ(cast->vote().status(), v1::Vote::STATUS_COUNTED);
  EXPECT_EQ(cast->vote().voter(), "tenants/fr/members/ana");
  EXPECT_EQ(cast->tally().counts().ups(), 1);
  EXPECT_EQ(cast->tally().score(), 1);
  EXPECT_EQ(cast->tally().caller_vote().choice(), VOTE_CHOICE_UP);
  EXPECT_EQ(Query("SELECT choice FROM votes WHERE target = 'idea1' AND"
                  " voter = 'ana'"),
            "1");
  EXPECT_EQ(Query("SELECT count(*) FROM outbox WHERE event_type = 'vote_cast'"),
            "1");
}

TEST_F(VotesTest, SameVoteTwiceChangesNothing) {
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  absl::StatusOr<v1::CastVoteResponse> again =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->changed());
  EXPECT_EQ(again->tally().counts().ups(), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM outbox"), "1");
}

TEST_F(VotesTest, ChangeMovesTheVoteAndRetractRemovesIt) {
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  ASSERT_TRUE(Cast(Member("fr", "ben"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  absl::StatusOr<v1::CastVoteResponse> changed =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_DOWN);
  ASSERT_TRUE(changed.ok()) << changed.status();
  EXPECT_TRUE(changed->changed());
  EXPECT_EQ(changed->tally().counts().ups(), 1);
  EXPECT_EQ(changed->tally().counts().downs(), 1);
  EXPECT_EQ(changed->tally().score(), 0);

  absl::StatusOr<v1::RetractVoteResponse> retracted =
      Retract(Member("fr", "ana"), "fr", "idea1");
  ASSERT_TRUE(retracted.ok()) << retracted.status();
  EXPECT_TRUE(retracted->changed());
  EXPECT_EQ(retracted->tally().counts().downs(), 0);
  EXPECT_EQ(retracted->tally().counts().ups(), 1);
  absl::StatusOr<v1::RetractVoteResponse> nothing =
      Retract(Member("fr", "ana"), "fr", "idea1");
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->changed());
  EXPECT_EQ(Query("SELECT string_agg(event_type, ',' ORDER BY id) FROM outbox"),
            "vote_cast,vote_cast,vote_changed,vote_retracted");
  // What Redis answered is what PostgreSQL holds.
  EXPECT_EQ(retracted->tally().counts().ups(),
            TallyInDatabase("fr", "idea1").all.ups);
  EXPECT_EQ(retracted->tally().counts().downs(),
            TallyInDatabase("fr", "idea1").all.downs);
  EXPECT_EQ(TallyInDatabase("fr", "idea1").all.ups, 1);
}

TEST_F(VotesTest, RetryWithSameRequestIdReplaysTheFirstAnswer) {
  const std::string id = "6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99";
  ASSERT_TRUE(
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP, 0, id).ok());
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_DOWN).ok());
  // The client retries its first call: it must not turn the vote back up.
  absl::StatusOr<v1::CastVoteResponse> retried =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP, 0, id);
  ASSERT_TRUE(retried.ok()) << retried.status();
  EXPECT_TRUE(retried->changed());
  EXPECT_EQ(retried->vote().choice(), VOTE_CHOICE_UP);
  EXPECT_EQ(Query("SELECT choice FROM votes WHERE voter = 'ana'"), "2");
  EXPECT_EQ(retried->tally().counts().downs(), 1);
  EXPECT_EQ(retried->tally().counts().ups(), 0);
}

TEST_F(VotesTest, HundredConcurrentIdenticalVotesCountOnce) {
  VoteBatcher batcher(
      *context_,
      {.max_batch = 16, .max_wait = absl::Milliseconds(2), .writers = 4});
  v1::CastVoteRequest request;
  request.set_target(PostName("fr", "idea1"));
  request.set_choice(VOTE_CHOICE_UP);
  absl::StatusOr<VoteCommand> command =
      CastVoteCommand(*context_, Member("fr", "ana"), request);
  ASSERT_TRUE(command.ok()) << command.status();
  std::vector<std::thread> threads;
  std::atomic<int> changed{0}, failed{0};
  for (int i = 0; i < 100; ++i) {
    threads.emplace_back([&] {
      VoteResult result = batcher.Run(*command);
      if (!result.status.ok()) ++failed;
      if (result.changed) ++changed;
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(changed.load(), 1);
  EXPECT_EQ(Query("SELECT count(*) FROM votes"), "1");
  absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, [] {
    v1::GetTallyRequest r;
    r.set_name("tenants/fr/posts/idea1/tally");
    return r;
  }());
  ASSERT_TRUE(tally.ok()) << tally.status();
  EXPECT_EQ(tally->counts().ups(), 1);
}

TEST_F(VotesTest, ConcurrentVotesOfManyMembersAllCount) {
  for (int i = 0; i < 40; ++i) AnnounceMember("fr", absl::StrCat("m", i));
  VoteBatcher batcher(
      *context_,
      {.max_batch = 8, .max_wait = absl::Milliseconds(2), .writers = 3});
  std::vector<std::thread> threads;
  for (int i = 0; i < 40; ++i) {
    threads.emplace_back([&, i] {
      v1::CastVoteRequest request;
      request.set_target(PostName("fr", "idea1"));
      request.set_choice(i % 4 == 0 ? VOTE_CHOICE_DOWN : VOTE_CHOICE_UP);
      absl::StatusOr<VoteCommand> command = CastVoteCommand(
          *context_, Member("fr", absl::StrCat("m", i)), request);
      ASSERT_TRUE(command.ok());
      EXPECT_TRUE(batcher.Run(*command).status.ok());
    });
  }
  for (std::thread& thread : threads) thread.join();
  const TallyCounts expected = TallyInDatabase("fr", "idea1");
  EXPECT_EQ(expected.all.ups, 30);
  EXPECT_EQ(expected.all.downs, 10);
  v1::GetTallyRequest request;
  request.set_name("tenants/fr/posts/idea1/tally");
  absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, request);
  ASSERT_TRUE(tally.ok());
  EXPECT_EQ(tally->counts().ups(), 30);
  EXPECT_EQ(tally->counts().downs(), 10);
}

TEST_F(VotesTest, SelfVoteIsRefused) {
  absl::StatusOr<v1::CastVoteResponse> cast =
      Cast(Member("fr", "author"), "fr", "idea1", VOTE_CHOICE_UP);
  EXPECT_EQ(cast.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(cast.status()), "SELF_VOTE");
  EXPECT_EQ(Query("SELECT count(*) FROM votes"), "0");
}

TEST_F(VotesTest, HiddenAndUnknownPostsTakeNoVotes) {
  Hide("fr", "idea1");
  absl::StatusOr<v1::CastVoteResponse> hidden =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_UP);
  EXPECT_EQ(hidden.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(hidden.status()), "TARGET_NOT_PUBLISHED");
  absl::StatusOr<v1::CastVoteResponse> unknown =
      Cast(Member("fr", "ana"), "fr", "nope", VOTE_CHOICE_UP);
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kNotFound);
}

TEST_F(VotesTest, OtherTenantsMembersCannotVote) {
  absl::StatusOr<v1::CastVoteResponse> cast =
      Cast(Member("it", "ana"), "fr", "idea1", VOTE_CHOICE_UP);
  EXPECT_EQ(cast.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Query("SELECT count(*) FROM votes"), "0");
}

TEST_F(VotesTest, ChoiceMustFitThePostsMode) {
  Publish({.id = "comment1",
           .kind = common::v1::CONTENT_KIND_COMMENT,
           .in_reply_to = "idea1"});
  absl::StatusOr<v1::CastVoteResponse> down_on_like =
      Cast(Member("fr", "ana"), "fr", "comment1", VOTE_CHOICE_DOWN);
  EXPECT_EQ(down_on_like.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::ReasonOf(down_on_like.status()), "VOTE_MODE_MISMATCH");
  EXPECT_NE(down_on_like.status().message().find("choice"), std::string::npos);
  EXPECT_TRUE(
      Cast(Member("fr", "ana"), "fr", "comment1", VOTE_CHOICE_LIKE).ok());

  absl::StatusOr<v1::CastVoteResponse> like_on_updown =
      Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_LIKE);
  EXPECT_EQ(like_on_updown.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(VotesTest, StarsAreOneToFive) {
  Publish({.id = "entry1",
           .kind = common::v1::CONTENT_KIND_CONTEST_ENTRY,
           .mode = EVALUATION_MODE_STARS});
  for (int stars : {0, 6, -1}) {
    absl::StatusOr<v1::CastVoteResponse> cast =
        Cast(Member("fr", "ana"), "fr", "entry1", VOTE_CHOICE_STARS, stars);
    EXPECT_EQ(cast.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(cast.status().message().find("stars"), std::string::npos);
  }
  ASSERT_TRUE(
      Cast(Member("fr", "ana"), "fr", "entry1", VOTE_CHOICE_STARS, 5).ok());
  absl::StatusOr<v1::CastVoteResponse> cast =
      Cast(Member("fr", "ben"), "fr", "entry1", VOTE_CHOICE_STARS, 2);
  ASSERT_TRUE(cast.ok()) << cast.status();
  EXPECT_EQ(cast->tally().counts().rating_count(), 2);
  EXPECT_EQ(cast->tally().counts().rating_sum(), 7);
  EXPECT_DOUBLE_EQ(cast->tally().rating_average(), 3.5);
  ASSERT_EQ(cast->tally().counts().rating_histogram_size(), 5);
  EXPECT_EQ(cast->tally().counts().rating_histogram(1), 1);
  EXPECT_EQ(cast->tally().counts().rating_histogram(4), 1);
}

TEST_F(VotesTest, ReviewsTakeHelpfulnessVotesOnTheirOwnAxis) {
  Publish({.id = "review1", .kind = CONTENT_KIND_REVIEW, .space = "reviews"});
  absl::StatusOr<v1::CastVoteResponse> up =
      Cast(Member("fr", "ana"), "fr", "review1", VOTE_CHOICE_UP);
  EXPECT_EQ(up.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<v1::CastVoteResponse> helpful =
      Cast(Member("fr", "ana"), "fr", "review1", VOTE_CHOICE_HELPFUL);
  ASSERT_TRUE(helpful.ok()) << helpful.status();
  EXPECT_EQ(helpful->vote().axis(), common::v1::VOTE_AXIS_HELPFULNESS);
  EXPECT_EQ(helpful->tally().counts().helpful(), 1);
  EXPECT_TRUE(helpful->tally().helpfulness_enabled());
  EXPECT_EQ(helpful->tally().caller_helpfulness_vote().choice(),
            VOTE_CHOICE_HELPFUL);
}

TEST_F(VotesTest, YoungAccountsVoteAtWeightZeroUnlessVerifiedCustomers) {
  AnnounceMember("fr", "newbie", absl::Hours(2));
  AnnounceMember("fr", "customer", absl::Hours(2), /*verified_customer=*/true);
  absl::StatusOr<v1::CastVoteResponse> young =
      Cast(Member("fr", "newbie"), "fr", "idea1", VOTE_CHOICE_UP);
  ASSERT_TRUE(young.ok()) << young.status();
  EXPECT_EQ(young->vote().status(), v1::Vote::STATUS_HELD);
  EXPECT_EQ(young->vote().weight(), 0);
  EXPECT_EQ(young->tally().counts().ups(), 0);
  EXPECT_EQ(young->tally().held_count(), 1);
  absl::StatusOr<v1::CastVoteResponse> customer =
      Cast(Member("fr", "customer"), "fr", "idea1", VOTE_CHOICE_UP);
  ASSERT_TRUE(customer.ok());
  EXPECT_EQ(customer->vote().status(), v1::Vote::STATUS_COUNTED);
  EXPECT_TRUE(customer->vote().verified_customer());
  EXPECT_EQ(customer->tally().counts().ups(), 1);
  EXPECT_EQ(customer->tally().verified_customer_counts().ups(), 1);
}

TEST_F(VotesTest, VoteRateIsLimitedPerMember) {
  for (int i = 0; i < 35; ++i) {
    Publish({.id = absl::StrCat("p", i)});
  }
  int refused = 0;
  absl::Status last;
  for (int i = 0; i < 35; ++i) {
    absl::StatusOr<v1::CastVoteResponse> cast =
        Cast(Member("fr", "ben"), "fr", absl::StrCat("p", i), VOTE_CHOICE_UP);
    if (!cast.ok()) {
      ++refused;
      last = cast.status();
    }
  }
  EXPECT_EQ(refused, 5);  // 30 per minute by default
  EXPECT_EQ(last.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status::ReasonOf(last), "RATE_LIMITED");
  EXPECT_EQ(Query("SELECT count(*) FROM votes WHERE voter = 'ben'"), "30");
}

TEST_F(VotesTest, BadRequestsNameTheField) {
  v1::CastVoteRequest request;
  request.set_target("posts/idea1");
  request.set_choice(VOTE_CHOICE_UP);
  absl::StatusOr<VoteCommand> bad_target =
      CastVoteCommand(*context_, Member("fr", "ana"), request);
  EXPECT_EQ(bad_target.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(bad_target.status().message().find("target"), std::string::npos);
  request.set_target(PostName("fr", "idea1"));
  request.set_choice(common::v1::VOTE_CHOICE_UNSPECIFIED);
  EXPECT_NE(CastVoteCommand(*context_, Member("fr", "ana"), request)
                .status()
                .message()
                .find("choice"),
            std::string::npos);
  request.set_choice(VOTE_CHOICE_UP);
  request.set_request_id("not a uuid!");
  EXPECT_NE(CastVoteCommand(*context_, Member("fr", "ana"), request)
                .status()
                .message()
                .find("request_id"),
            std::string::npos);
}

TEST_F(VotesTest, ListVotesShowsMembersOnlyTheirOwn) {
  Publish({.id = "idea2"});
  Publish({.id = "idea3"});
  for (const char* post : {"idea1", "idea2", "idea3"}) {
    ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", post, VOTE_CHOICE_UP).ok());
    now_ += absl::Seconds(1);
  }
  ASSERT_TRUE(Cast(Member("fr", "ben"), "fr", "idea1", VOTE_CHOICE_DOWN).ok());

  v1::ListVotesRequest mine;
  mine.set_voter("tenants/fr/members/me");
  mine.set_page_size(2);
  absl::StatusOr<v1::ListVotesResponse> page1 =
      ListVotes(*context_, Member("fr", "ana"), mine);
  ASSERT_TRUE(page1.ok()) << page1.status();
  ASSERT_EQ(page1->votes_size(), 2);
  EXPECT_EQ(page1->votes(0).target().name(), PostName("fr", "idea3"));
  mine.set_page_token(page1->next_page_token());
  absl::StatusOr<v1::ListVotesResponse> page2 =
      ListVotes(*context_, Member("fr", "ana"), mine);
  ASSERT_TRUE(page2.ok());
  ASSERT_EQ(page2->votes_size(), 1);
  EXPECT_EQ(page2->votes(0).target().name(), PostName("fr", "idea1"));
  EXPECT_TRUE(page2->next_page_token().empty());

  v1::ListVotesRequest on_post;
  on_post.set_target(PostName("fr", "idea1"));
  EXPECT_EQ(ListVotes(*context_, Member("fr", "ana"), on_post).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::ListVotesResponse> moderated = ListVotes(
      *context_, WithRole(Member("fr", "mod"), auth::kRoleModerator), on_post);
  ASSERT_TRUE(moderated.ok());
  EXPECT_EQ(moderated->votes_size(), 2);
  EXPECT_EQ(
      ListVotes(*context_, WithRole(Member("it", "mod"), auth::kRoleModerator),
                on_post)
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(VotesTest, BatchTalliesCarryTheCallersVotesAndListTheMissing) {
  Publish({.id = "idea2"});
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "idea2", VOTE_CHOICE_DOWN).ok());
  ASSERT_TRUE(Cast(Member("fr", "ben"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  v1::BatchGetTalliesRequest request;
  request.set_parent("tenants/fr");
  request.add_targets(PostName("fr", "idea1"));
  request.add_targets(PostName("fr", "idea2"));
  request.add_targets(PostName("fr", "ghost"));
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::BatchGetTalliesResponse> response =
      BatchGetTallies(*context_, &ana, request);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->tallies_size(), 2);
  EXPECT_EQ(response->tallies(0).counts().ups(), 1);
  EXPECT_FALSE(response->tallies(0).has_caller_vote());
  EXPECT_EQ(response->tallies(1).caller_vote().choice(), VOTE_CHOICE_DOWN);
  ASSERT_EQ(response->missing_size(), 1);
  EXPECT_EQ(response->missing(0), PostName("fr", "ghost"));

  request.add_targets(PostName("it", "idea1"));
  EXPECT_EQ(BatchGetTallies(*context_, &ana, request).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::BatchGetTalliesRequest empty;
  empty.set_parent("tenants/fr");
  EXPECT_NE(BatchGetTallies(*context_, nullptr, empty)
                .status()
                .message()
                .find("targets"),
            std::string::npos);
}

// Content merged a duplicate idea into the original: the duplicate's votes
// count on the original, a voter who voted both keeps the original's vote,
// and the original's author gains no vote of their own.
TEST_F(VotesTest, MergedDuplicateCarriesItsVotesOverToTheOriginal) {
  Publish({.id = "dup", .author = "ben"});
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "dup", VOTE_CHOICE_UP).ok());
  ASSERT_TRUE(Cast(Member("fr", "chloe"), "fr", "dup", VOTE_CHOICE_DOWN).ok());
  ASSERT_TRUE(Cast(Member("fr", "author"), "fr", "dup", VOTE_CHOICE_UP).ok());
  ASSERT_TRUE(Cast(Member("fr", "ana"), "fr", "idea1", VOTE_CHOICE_DOWN).ok());

  events::v1::Event merged = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  merged.mutable_ideas_merged()->set_source("tenants/fr/posts/dup");
  merged.mutable_ideas_merged()->set_target("tenants/fr/posts/idea1");
  Apply(merged);

  const TallyCounts original = TallyInDatabase("fr", "idea1");
  EXPECT_EQ(original.all.ups, 0) << "ana keeps her own vote on the original; "
                                    "the author's vote does not move";
  EXPECT_EQ(original.all.downs, 2);  // ana's and chloe's
  const TallyCounts duplicate = TallyInDatabase("fr", "dup");
  EXPECT_EQ(duplicate.all.ups, 0);
  EXPECT_EQ(duplicate.all.downs, 0);
  // Redis follows PostgreSQL after the repair.
  v1::GetTallyRequest request;
  request.set_name("tenants/fr/posts/idea1/tally");
  absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, request);
  ASSERT_TRUE(tally.ok()) << tally.status();
  EXPECT_EQ(tally->counts().downs(), 2);
  EXPECT_EQ(tally->counts().ups(), 0);
}

}  // namespace
}  // namespace agora::ranking
