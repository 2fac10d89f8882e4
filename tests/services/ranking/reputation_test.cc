// The reputation engine on real PostgreSQL and Redis: votes cast through
// the batch writer reach ApplyReputationEvent the way the consumer of
// ranking's own stream delivers them (read back from the outbox), content's
// and share's events are built as those services announce them. Points,
// undo, the daily cap in the tenant's calendar, titles, what is announced
// to identity, the policy's validation and etag, the reads and the GDPR
// export.
#include "services/ranking/domain/reputation.h"

#include <gmock/gmock.h>

#include <functional>
#include <set>

#include "libs/status/error_details.h"
#include "services/ranking/domain/member_export.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::CONTENT_KIND_ANSWER;
using common::v1::CONTENT_KIND_IDEA;
using common::v1::CONTENT_KIND_QUESTION;
using common::v1::CONTENT_KIND_REVIEW;
using common::v1::VOTE_CHOICE_DOWN;
using common::v1::VOTE_CHOICE_HELPFUL;
using common::v1::VOTE_CHOICE_UP;
using ::testing::HasSubstr;
using ::testing::StartsWith;

std::string MemberName(const std::string& id,
                       const std::string& tenant = "fr") {
  return absl::StrCat("tenants/", tenant, "/members/", id);
}

class ReputationTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    for (const char* member : {"author", "asker", "ana", "ben", "chloe"}) {
      AnnounceMember("fr", member);
    }
    Publish({.id = "q1", .kind = CONTENT_KIND_QUESTION, .author = "asker"});
    Publish({.id = "a1",
             .kind = CONTENT_KIND_ANSWER,
             .author = "author",
             .in_reply_to = "q1"});
    Publish({.id = "idea1", .author = "author"});
  }

  absl::Status ApplyReputation(const events::v1::Event& event) {
    return pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
      return ApplyReputationEvent(*context_, tx, event);
    });
  }

  // Outbox events after `after_id`, in order.
  std::vector<std::pair<int64_t, events::v1::Event>> OutboxSince(
      int64_t after_id) {
    std::vector<std::pair<int64_t, events::v1::Event>> events;
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  events.clear();
                  const pqxx::result rows = tx.exec_params(
                      "SELECT id, payload FROM outbox WHERE id > $1"
                      " ORDER BY id",
                      after_id);
                  for (const pqxx::row& row : rows) {
                    events::v1::Event event;
                    event.ParseFromString(pqxx::binarystring(row[1]).str());
                    events.emplace_back(row[0].as<int64_t>(), event);
                  }
                  return absl::OkStatus();
                }).ok());
    return events;
  }

  // Delivers ranking's own new events to the engine, as the consumer with
  // group "ranking-reputation" does (its own announcements included: they
  // must be ignored).
  void Feed() {
    for (;;) {
      auto events = OutboxSince(fed_outbox_id_);
      if (events.empty()) return;
      for (const auto& [id, event] : events) {
        fed_outbox_id_ = id;
        absl::Status applied = ApplyReputation(event);
        ASSERT_TRUE(applied.ok()) << applied;
      }
    }
  }

  // Every announcement of `type` ("reputation_changed", "title_awarded").
  std::vector<events::v1::Event> Announced(const std::string& type) {
    std::vector<events::v1::Event> found;
    for (auto& [id, event] : OutboxSince(0)) {
      if ((type == "reputation_changed" && event.has_reputation_changed()) ||
          (type == "title_awarded" && event.has_title_awarded())) {
        found.push_back(event);
      }
    }
    return found;
  }

  // The announcements about one member.
  std::vector<events::v1::ReputationChanged> ChangesOf(
      const std::string& member) {
    std::vector<events::v1::ReputationChanged> changes;
    for (const events::v1::Event& event : Announced("reputation_changed")) {
      if (event.reputation_changed().member() == MemberName(member)) {
        changes.push_back(event.reputation_changed());
      }
    }
    return changes;
  }

  void Vote(const std::string& voter, const std::string& post,
            common::v1::VoteChoice choice = VOTE_CHOICE_UP) {
    absl::StatusOr<v1::CastVoteResponse> cast =
        Cast(Member("fr", voter), "fr", post, choice);
    ASSERT_TRUE(cast.ok()) << cast.status();
    Feed();
  }

  // A vote event as the batch writer announces it, for cases the writer
  // refuses (self-votes) or that need many voters.
  events::v1::Event VoteCastEvent(const std::string& voter,
                                  const std::string& post,
                                  common::v1::ContentKind kind,
                                  const std::string& author,
                                  double weight = 1.0) {
    events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_RANKING);
    events::v1::VoteCast* cast = event.mutable_vote_cast();
    cast->mutable_target()->set_kind(kind);
    cast->mutable_target()->set_name(PostName("fr", post));
    cast->set_target_author(author.empty() ? "" : MemberName(author));
    cast->set_voter(MemberName(voter));
    cast->set_axis(common::v1::VOTE_AXIS_PRIMARY);
    cast->set_choice(VOTE_CHOICE_UP);
    cast->set_weight(weight);
    return event;
  }

  events::v1::Event AcceptEvent(const std::string& answer,
                                const std::string& answer_author,
                                const std::string& previous = "",
                                const std::string& previous_author = "") {
    events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_CONTENT);
    events::v1::AnswerAccepted* accepted = event.mutable_answer_accepted();
    accepted->set_question(PostName("fr", "q1"));
    accepted->set_answer(PostName("fr", answer));
    accepted->set_answer_author(MemberName(answer_author));
    accepted->set_question_author(MemberName("asker"));
    accepted->set_accepted_by(MemberName("asker"));
    if (!previous.empty()) {
      accepted->set_previous_answer(PostName("fr", previous));
      accepted->set_previous_answer_author(MemberName(previous_author));
    }
    return event;
  }

  events::v1::Event IdeaEvent(common::v1::IdeaStatus status) {
    events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_CONTENT);
    events::v1::IdeaStatusChanged* changed =
        event.mutable_idea_status_changed();
    changed->set_idea(PostName("fr", "idea1"));
    changed->set_idea_author(MemberName("author"));
    changed->set_status(status);
    return event;
  }

  void MustApply(const events::v1::Event& event) {
    absl::Status applied = ApplyReputation(event);
    ASSERT_TRUE(applied.ok()) << applied;
  }

  v1::Reputation ReputationOf(const std::string& member) {
    v1::GetReputationRequest request;
    request.set_name(MemberName(member) + "/reputation");
    absl::StatusOr<v1::Reputation> reputation =
        GetReputation(*context_, nullptr, request);
    EXPECT_TRUE(reputation.ok()) << reputation.status();
    return reputation.ok() ? *reputation : v1::Reputation{};
  }

  int64_t PointsOf(const std::string& member) {
    return ReputationOf(member).points();
  }

  std::vector<v1::ReputationEvent> History(const std::string& member) {
    v1::ListReputationEventsRequest request;
    request.set_parent(MemberName(member));
    request.set_page_size(100);
    absl::StatusOr<v1::ListReputationEventsResponse> response =
        ListReputationEvents(*context_, Member("fr", member), request);
    EXPECT_TRUE(response.ok()) << response.status();
    if (!response.ok()) return {};
    return {response->reputation_events().begin(),
            response->reputation_events().end()};
  }

  static v1::TitleDefinition Title(const std::string& id,
                                   const std::string& label, int64_t min_points,
                                   bool revocable = false) {
    v1::TitleDefinition title;
    title.set_title_id(id);
    (*title.mutable_display_name()->mutable_translations())["fr"] = label;
    title.set_min_points(min_points);
    title.set_revocable(revocable);
    return title;
  }

  static auth::Principal Admin(const std::string& tenant = "fr") {
    return WithRole(Member(tenant, "admin"), auth::kRoleTenantAdmin);
  }

  absl::StatusOr<v1::ReputationPolicy> UpdatePolicy(
      const auth::Principal& caller, v1::ReputationPolicy policy,
      std::vector<std::string> paths, const std::string& tenant = "fr") {
    v1::UpdateReputationPolicyRequest request;
    if (policy.name().empty()) {
      policy.set_name(absl::StrCat("tenants/", tenant, "/reputationPolicy"));
    }
    *request.mutable_reputation_policy() = policy;
    for (const std::string& path : paths) {
      request.mutable_update_mask()->add_paths(path);
    }
    return UpdateReputationPolicy(*context_, caller, request);
  }

  void SetTitles(std::vector<v1::TitleDefinition> titles) {
    v1::ReputationPolicy policy;
    for (auto& title : titles) *policy.add_titles() = title;
    absl::StatusOr<v1::ReputationPolicy> updated =
        UpdatePolicy(Admin(), policy, {"titles"});
    ASSERT_TRUE(updated.ok()) << updated.status();
  }

  int64_t fed_outbox_id_ = 0;
};

TEST_F(ReputationTest, UpVoteOnAnAnswerGivesTenToItsAuthor) {
  Vote("ana", "a1");
  EXPECT_EQ(PointsOf("author"), 11);  // everyone starts at 1
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].reason(), v1::REPUTATION_REASON_POST_UPVOTED);
  EXPECT_EQ(history[0].points(), 10);
  EXPECT_EQ(history[0].uncapped_points(), 10);
  EXPECT_EQ(history[0].subject().name(), "tenants/fr/posts/a1");
  EXPECT_EQ(history[0].subject().kind(), CONTENT_KIND_ANSWER);
  EXPECT_THAT(history[0].name(),
              StartsWith("tenants/fr/members/author/reputationEvents/"));
  // The voter earns nothing but an active day.
  EXPECT_EQ(PointsOf("ana"), 1);
  EXPECT_EQ(ReputationOf("ana").active_days(), 1);

  const std::vector<events::v1::ReputationChanged> changed =
      ChangesOf("author");
  ASSERT_EQ(changed.size(), 1u);
  const events::v1::ReputationChanged& last = changed.back();
  EXPECT_EQ(last.delta(), 10);
  EXPECT_EQ(last.points(), 11);
  EXPECT_EQ(last.reputation_event(), history[0].name());
  EXPECT_EQ(last.subject().name(), "tenants/fr/posts/a1");
}

TEST_F(ReputationTest, OtherPostsEarnTheRuleWithoutKind) {
  Vote("ana", "idea1");
  EXPECT_EQ(PointsOf("author"), 6);
  Vote("ana", "q1");
  EXPECT_EQ(PointsOf("asker"), 6);
}

TEST_F(ReputationTest, ChangeToDownUndoesTheUpVoteAndAppliesMinusTwo) {
  Vote("ben", "a1");
  Vote("ana", "a1");
  ASSERT_EQ(PointsOf("author"), 21);
  Vote("ana", "a1", VOTE_CHOICE_DOWN);
  EXPECT_EQ(PointsOf("author"), 9);
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 4u);
  // Newest first: the down vote after the undo of ana's up vote.
  EXPECT_EQ(history[0].reason(), v1::REPUTATION_REASON_POST_DOWNVOTED);
  EXPECT_EQ(history[0].points(), -2);
  EXPECT_EQ(history[1].reason(), v1::REPUTATION_REASON_VOTE_UNDONE);
  EXPECT_EQ(history[1].points(), -10);
}

TEST_F(ReputationTest, RetractUndoesExactlyWhatTheVoteGave) {
  Vote("ana", "a1");
  ASSERT_EQ(PointsOf("author"), 11);
  ASSERT_TRUE(Retract(Member("fr", "ana"), "fr", "a1").ok());
  Feed();
  EXPECT_EQ(PointsOf("author"), 1);
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].reason(), v1::REPUTATION_REASON_VOTE_UNDONE);
  EXPECT_EQ(history[0].points(), -10);
  // Voting again rewards again: the undone award no longer stands.
  Vote("ana", "a1");
  EXPECT_EQ(PointsOf("author"), 11);
}

TEST_F(ReputationTest, PointsNeverFallBelowOneAndUndoGivesNothingBack) {
  Vote("ana", "a1", VOTE_CHOICE_DOWN);
  EXPECT_EQ(PointsOf("author"), 1);
  std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].points(), 0);
  EXPECT_EQ(history[0].uncapped_points(), -2);
  // Taking back a down vote that cost nothing gives nothing.
  Vote("ana", "a1");
  EXPECT_EQ(PointsOf("author"), 11);
}

TEST_F(ReputationTest, HeldVotesAndSelfVotesGiveNothing) {
  AnnounceMember("fr", "newbie", absl::Hours(2));
  Vote("newbie", "a1");  // held at weight 0: the account is too young
  EXPECT_EQ(PointsOf("author"), 1);
  MustApply(VoteCastEvent("author", "a1", CONTENT_KIND_ANSWER, "author"));
  MustApply(VoteCastEvent("ana", "gone", CONTENT_KIND_ANSWER, ""));
  EXPECT_EQ(PointsOf("author"), 1);
  EXPECT_TRUE(History("author").empty());
  EXPECT_EQ(Query("SELECT count(*) FROM reputation_events"), "0");
  // Voting still makes the day an active one for the voter.
  ASSERT_EQ(ChangesOf("author").size(), 1u);
  EXPECT_EQ(ChangesOf("author")[0].delta(), 0);
  EXPECT_EQ(ChangesOf("author")[0].active_days(), 1);
}

TEST_F(ReputationTest, DailyCapStopsAtTwoHundredButNotAcceptedAnswers) {
  for (int i = 0; i < 21; ++i) {
    MustApply(VoteCastEvent(absl::StrCat("voter", i), absl::StrCat("ans", i),
                            CONTENT_KIND_ANSWER, "author"));
  }
  v1::Reputation reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 201);
  EXPECT_EQ(reputation.points_today(), 200);
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 21u);
  EXPECT_EQ(history[0].points(), 0);  // capped
  EXPECT_EQ(history[0].uncapped_points(), 10);

  MustApply(AcceptEvent("a1", "author"));
  reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 216);
  EXPECT_EQ(reputation.accepted_answers(), 1);

  // The next day in Paris the cap starts again.
  now_ += absl::Hours(24);
  MustApply(VoteCastEvent("voter99", "ans99", CONTENT_KIND_ANSWER, "author"));
  reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 226);
  EXPECT_EQ(reputation.points_today(), 10);
  EXPECT_EQ(reputation.points_week(), 225);
}

TEST_F(ReputationTest, TheCapFillsToTheBrimThenStops) {
  v1::ReputationPolicy policy;
  policy.set_daily_cap(25);
  ASSERT_TRUE(UpdatePolicy(Admin(), policy, {"daily_cap"}).ok());
  for (int i = 0; i < 3; ++i) {
    MustApply(VoteCastEvent(absl::StrCat("voter", i), absl::StrCat("ans", i),
                            CONTENT_KIND_ANSWER, "author"));
  }
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].points(), 5);  // 10 + 10 + 5 = 25
  EXPECT_EQ(PointsOf("author"), 26);
}

TEST_F(ReputationTest, IdeaDeliveredGivesFiftyOnce) {
  MustApply(IdeaEvent(common::v1::IDEA_STATUS_PLANNED));
  EXPECT_EQ(PointsOf("author"), 1);
  MustApply(IdeaEvent(common::v1::IDEA_STATUS_DELIVERED));
  EXPECT_EQ(PointsOf("author"), 51);
  MustApply(IdeaEvent(common::v1::IDEA_STATUS_IN_PROGRESS));
  MustApply(IdeaEvent(common::v1::IDEA_STATUS_DELIVERED));
  EXPECT_EQ(PointsOf("author"), 51);
  const std::vector<v1::ReputationEvent> history = History("author");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].reason(), v1::REPUTATION_REASON_IDEA_DELIVERED);
  EXPECT_EQ(history[0].subject().kind(), CONTENT_KIND_IDEA);
}

TEST_F(ReputationTest, AcceptingAnotherAnswerMovesThePoints) {
  Publish({.id = "a2",
           .kind = CONTENT_KIND_ANSWER,
           .author = "ben",
           .in_reply_to = "q1"});
  MustApply(AcceptEvent("a1", "author"));
  EXPECT_EQ(PointsOf("author"), 16);
  EXPECT_EQ(PointsOf("asker"), 3);
  EXPECT_EQ(ReputationOf("author").accepted_answers(), 1);

  MustApply(AcceptEvent("a2", "ben", "a1", "author"));
  EXPECT_EQ(PointsOf("author"), 1);
  EXPECT_EQ(ReputationOf("author").accepted_answers(), 0);
  EXPECT_EQ(PointsOf("ben"), 16);
  EXPECT_EQ(PointsOf("asker"), 3);  // accepting is rewarded once per question
  EXPECT_EQ(ChangesOf("ben").back().accepted_answers(), 1);
  EXPECT_EQ(ChangesOf("author").back().accepted_answers(), 0);
  EXPECT_EQ(ChangesOf("author").back().delta(), -15);
}

TEST_F(ReputationTest, TitleIsAwardedOnceAtItsThresholdAndAnnounced) {
  SetTitles({Title("respected", "Contributeur respecté", 21),
             Title("expert", "Expert", 1000)});
  Vote("ana", "a1");
  EXPECT_TRUE(ReputationOf("author").titles().empty());
  EXPECT_EQ(ReputationOf("author").next_title().points_needed(), 10);
  Vote("ben", "a1");
  Vote("chloe", "a1");

  const std::vector<events::v1::Event> awarded = Announced("title_awarded");
  ASSERT_EQ(awarded.size(), 1u);
  EXPECT_EQ(awarded[0].title_awarded().member(), MemberName("author"));
  EXPECT_EQ(awarded[0].title_awarded().title().title(),
            "tenants/fr/titles/respected");
  EXPECT_EQ(
      awarded[0].title_awarded().title().display_name().translations().at("fr"),
      "Contributeur respecté");
  const v1::Reputation reputation = ReputationOf("author");
  ASSERT_EQ(reputation.titles_size(), 1);
  EXPECT_EQ(reputation.titles(0).title(), "tenants/fr/titles/respected");
  EXPECT_EQ(reputation.next_title().title(), "tenants/fr/titles/expert");
  EXPECT_EQ(reputation.next_title().points_needed(), 1000 - 31);
}

TEST_F(ReputationTest, RevocableTitlesAreTakenAwayBelowTheirThreshold) {
  SetTitles(
      {Title("kept", "Gardé", 11), Title("fragile", "Fragile", 11, true)});
  Vote("ana", "a1");
  ASSERT_EQ(ReputationOf("author").titles_size(), 2);
  ASSERT_TRUE(Retract(Member("fr", "ana"), "fr", "a1").ok());
  Feed();
  const v1::Reputation reputation = ReputationOf("author");
  ASSERT_EQ(reputation.titles_size(), 1);
  EXPECT_EQ(reputation.titles(0).title(), "tenants/fr/titles/kept");
  EXPECT_EQ(reputation.next_title().title(), "tenants/fr/titles/fragile");
}

TEST_F(ReputationTest, AnEventAppliedTwiceChangesNothing) {
  Vote("ben", "a1");
  Vote("ana", "a1");
  Vote("ana", "a1", VOTE_CHOICE_DOWN);
  ASSERT_EQ(PointsOf("author"), 9);
  const size_t rows = History("author").size();
  const size_t announced = ChangesOf("author").size();
  // Redelivered: a change applied again would undo the down vote and cast
  // it anew, writing rows and announcements twice.
  for (const auto& [id, event] : OutboxSince(0)) {
    if (event.has_vote_changed()) MustApply(event);
  }
  const events::v1::Event accepted = AcceptEvent("a1", "author");
  MustApply(accepted);
  MustApply(accepted);
  EXPECT_EQ(PointsOf("author"), 24);
  EXPECT_EQ(History("author").size(), rows + 1);
  EXPECT_EQ(ChangesOf("author").size(), announced + 1);
  EXPECT_EQ(ReputationOf("author").accepted_answers(), 1);

  events::v1::Event nameless = accepted;
  nameless.set_id("");
  absl::Status refused = ApplyReputation(nameless);
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.message()), StartsWith("id:"));
}

TEST_F(ReputationTest, HelpfulVotesOnReviewsCountAsHelpfulReviews) {
  Publish({.id = "review1",
           .kind = CONTENT_KIND_REVIEW,
           .author = "author",
           .space = "reviews"});
  Vote("ana", "review1", VOTE_CHOICE_HELPFUL);
  v1::Reputation reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 3);
  EXPECT_EQ(reputation.helpful_reviews(), 1);
  EXPECT_EQ(ChangesOf("author").back().helpful_reviews(), 1);
  ASSERT_TRUE(Retract(Member("fr", "ana"), "fr", "review1",
                      common::v1::VOTE_AXIS_HELPFULNESS)
                  .ok());
  Feed();
  reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 1);
  EXPECT_EQ(reputation.helpful_reviews(), 0);
}

TEST_F(ReputationTest, PublishedPostsAndRemovalsReachIdentitysFigures) {
  events::v1::Event published = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  published.mutable_post_published()->mutable_post()->set_kind(
      CONTENT_KIND_IDEA);
  published.mutable_post_published()->mutable_post()->set_name(
      PostName("fr", "idea1"));
  published.mutable_post_published()->set_author(MemberName("author"));
  MustApply(published);
  v1::Reputation reputation = ReputationOf("author");
  EXPECT_EQ(reputation.published_posts(), 1);
  EXPECT_EQ(reputation.active_days(), 1);
  ASSERT_EQ(ChangesOf("author").size(), 1u);
  const events::v1::ReputationChanged announced = ChangesOf("author").back();
  EXPECT_EQ(announced.delta(), 0);
  EXPECT_EQ(announced.published_posts(), 1);
  EXPECT_EQ(announced.active_days(), 1);
  EXPECT_EQ(Query("SELECT count FROM member_contributions WHERE member ="
                  " 'author' AND contribution = $1",
                  static_cast<int>(v1::CONTRIBUTION_POST)),
            "1");

  Vote("ana", "a1");
  Vote("ben", "a1");  // 21 points
  events::v1::Event removed = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  removed.mutable_post_removed()->mutable_post()->set_kind(CONTENT_KIND_IDEA);
  removed.mutable_post_removed()->mutable_post()->set_name(
      PostName("fr", "idea1"));
  removed.mutable_post_removed()->set_author(MemberName("author"));
  removed.mutable_post_removed()->set_state(common::v1::POST_STATE_REMOVED);
  MustApply(removed);
  reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 1);
  EXPECT_EQ(reputation.published_posts(), 0);

  // The appeal is upheld: the post is back and so are the points.
  published.set_id(events::NewEventId());
  published.mutable_post_published()->set_republished(true);
  MustApply(published);
  reputation = ReputationOf("author");
  EXPECT_EQ(reputation.points(), 21);
  EXPECT_EQ(reputation.published_posts(), 1);
  EXPECT_EQ(reputation.active_days(), 1);
}

TEST_F(ReputationTest, ContestPrizesAndShareMilestonesEarnTheirRules) {
  events::v1::Event winners = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  winners.mutable_contest_winners_selected()->set_round(
      "tenants/fr/contests/k1/rounds/r1");
  for (const char* author : {"ana", "ben"}) {
    events::v1::ContestWinner* winner =
        winners.mutable_contest_winners_selected()->add_winners();
    winner->set_entry(PostName("fr", absl::StrCat("entry-", author)));
    winner->set_author(MemberName(author));
  }
  MustApply(winners);
  EXPECT_EQ(PointsOf("ana"), 101);
  EXPECT_EQ(PointsOf("ben"), 101);

  events::v1::Event milestone = NewEvent("fr", events::v1::PRODUCER_SHARE);
  milestone.mutable_share_milestone_reached()->set_short_link(
      "tenants/fr/shortLinks/abc");
  milestone.mutable_share_milestone_reached()->mutable_post()->set_name(
      PostName("fr", "idea1"));
  milestone.mutable_share_milestone_reached()->set_sharer(MemberName("chloe"));
  milestone.mutable_share_milestone_reached()->set_milestone(25);
  MustApply(milestone);
  EXPECT_EQ(PointsOf("chloe"), 11);
  // Another tenant's sharer earns nothing here.
  milestone.set_id(events::NewEventId());
  milestone.mutable_share_milestone_reached()->set_sharer(
      MemberName("chloe", "it"));
  milestone.mutable_share_milestone_reached()->set_milestone(300);
  MustApply(milestone);
  EXPECT_EQ(PointsOf("chloe"), 11);
}

TEST_F(ReputationTest, SerialVotesReversedTakeTheirPointsBack) {
  Vote("ana", "a1");
  Vote("ana", "idea1");
  Vote("ben", "idea1");
  ASSERT_EQ(PointsOf("author"), 21);
  events::v1::Event reversed = NewEvent("fr", events::v1::PRODUCER_RANKING);
  reversed.mutable_votes_reversed()->set_voter(MemberName("ana"));
  reversed.mutable_votes_reversed()->set_author(MemberName("author"));
  reversed.mutable_votes_reversed()->add_targets(PostName("fr", "a1"));
  reversed.mutable_votes_reversed()->add_targets(PostName("fr", "idea1"));
  MustApply(reversed);
  EXPECT_EQ(PointsOf("author"), 6);  // ben's vote stands
  EXPECT_EQ(History("author")[0].reason(),
            v1::REPUTATION_REASON_SERIAL_VOTES_REVERSED);
}

TEST_F(ReputationTest, ReputationShowsRankAndIsPublic) {
  Vote("ana", "a1");
  Vote("ben", "a1");
  Vote("ben", "q1");
  EXPECT_EQ(ReputationOf("author").rank(), 1);
  EXPECT_EQ(ReputationOf("asker").rank(), 2);

  v1::GetReputationRequest request;
  request.set_name("tenants/fr/members/me/reputation");
  const auth::Principal asker = Member("fr", "asker");
  absl::StatusOr<v1::Reputation> mine =
      GetReputation(*context_, &asker, request);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->name(), "tenants/fr/members/asker/reputation");
  EXPECT_EQ(mine->points(), 6);

  request.set_name("tenants/fr/members/nobody/reputation");
  EXPECT_EQ(GetReputation(*context_, nullptr, request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_name("tenants/fr/members/author/reputation");
  const auth::Principal stranger = Member("it", "x");
  EXPECT_EQ(GetReputation(*context_, &stranger, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_name("tenants/fr/members/author");
  absl::StatusOr<v1::Reputation> bad =
      GetReputation(*context_, nullptr, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("name:"));
}

TEST_F(ReputationTest, HistoryIsPagedAndShownToTheMemberAndModerators) {
  Vote("ana", "a1");
  Vote("ben", "a1");
  Vote("chloe", "a1");
  v1::ListReputationEventsRequest request;
  request.set_parent(MemberName("author"));
  request.set_page_size(2);
  absl::StatusOr<v1::ListReputationEventsResponse> first =
      ListReputationEvents(*context_, Member("fr", "author"), request);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_EQ(first->reputation_events_size(), 2);
  ASSERT_FALSE(first->next_page_token().empty());
  request.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListReputationEventsResponse> second =
      ListReputationEvents(*context_, Member("fr", "author"), request);
  ASSERT_TRUE(second.ok()) << second.status();
  ASSERT_EQ(second->reputation_events_size(), 1);
  EXPECT_TRUE(second->next_page_token().empty());
  std::set<std::string> names = {second->reputation_events(0).name()};
  for (const auto& event : first->reputation_events())
    names.insert(event.name());
  EXPECT_EQ(names.size(), 3u);

  request.clear_page_token();
  EXPECT_EQ(ListReputationEvents(*context_, Member("fr", "ben"), request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ListReputationEvents(
                  *context_,
                  WithRole(Member("fr", "mod"), auth::kRoleModerator), request)
                  .ok());
  EXPECT_EQ(ListReputationEvents(
                *context_, WithRole(Member("it", "mod"), auth::kRoleModerator),
                request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  request.set_page_token("not-a-token");
  absl::StatusOr<v1::ListReputationEventsResponse> bad =
      ListReputationEvents(*context_, Member("fr", "author"), request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), StartsWith("page_token:"));
}

TEST_F(ReputationTest, PolicyIsPublicWithItsDefaults) {
  v1::GetReputationPolicyRequest request;
  request.set_name("tenants/fr/reputationPolicy");
  absl::StatusOr<v1::ReputationPolicy> policy =
      GetReputationPolicy(*context_, nullptr, request);
  ASSERT_TRUE(policy.ok()) << policy.status();
  EXPECT_EQ(policy->name(), "tenants/fr/reputationPolicy");
  EXPECT_EQ(policy->etag(), "v0");
  EXPECT_EQ(policy->daily_cap(), 200);
  EXPECT_EQ(policy->cap_exempt_reasons_size(), 3);
  bool answer_rule = false;
  for (const v1::ReputationRule& rule : policy->rules()) {
    answer_rule |= rule.reason() == v1::REPUTATION_REASON_POST_UPVOTED &&
                   rule.kind() == CONTENT_KIND_ANSWER && rule.points() == 10;
  }
  EXPECT_TRUE(answer_rule);
  request.set_name("tenants/nowhere/reputationPolicy");
  EXPECT_EQ(GetReputationPolicy(*context_, nullptr, request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReputationTest, PolicyUpdateNamesTheBadField) {
  struct Case {
    std::string path;
    std::function<void(v1::ReputationPolicy&)> edit;
    std::string field;
  };
  auto rule = [](v1::ReputationPolicy& p, v1::ReputationReason reason,
                 int64_t points, common::v1::ContentKind kind) {
    v1::ReputationRule* r = p.add_rules();
    r->set_reason(reason);
    r->set_points(points);
    r->set_kind(kind);
  };
  const std::vector<Case> cases = {
      {"rules",
       [&](auto& p) {
         rule(p, v1::REPUTATION_REASON_POST_UPVOTED, 1001,
              common::v1::CONTENT_KIND_UNSPECIFIED);
       },
       "reputation_policy.rules[0].points"},
      {"rules",
       [&](auto& p) {
         rule(p, v1::REPUTATION_REASON_IDEA_DELIVERED, 5, CONTENT_KIND_IDEA);
       },
       "reputation_policy.rules[0].kind"},
      {"rules",
       [&](auto& p) {
         rule(p, v1::REPUTATION_REASON_VOTE_UNDONE, 5,
              common::v1::CONTENT_KIND_UNSPECIFIED);
       },
       "reputation_policy.rules[0].reason"},
      {"rules",
       [&](auto& p) {
         rule(p, v1::REPUTATION_REASON_POST_UPVOTED, 5, CONTENT_KIND_ANSWER);
         rule(p, v1::REPUTATION_REASON_POST_UPVOTED, 7, CONTENT_KIND_ANSWER);
       },
       "reputation_policy.rules[1].reason"},
      {"daily_cap", [](auto& p) { p.set_daily_cap(10001); },
       "reputation_policy.daily_cap"},
      {"cap_exempt_reasons",
       [](auto& p) {
         p.add_cap_exempt_reasons(v1::REPUTATION_REASON_CONTEST_PRIZE);
         p.add_cap_exempt_reasons(v1::REPUTATION_REASON_CONTEST_PRIZE);
       },
       "reputation_policy.cap_exempt_reasons[1]"},
      {"titles",
       [](auto& p) {
         for (int i = 0; i < 31; ++i) {
           *p.add_titles() = Title(absl::StrCat("t", i), "T", i);
         }
       },
       "reputation_policy.titles"},
      {"titles",
       [](auto& p) {
         *p.add_titles() = Title("same", "A", 1);
         *p.add_titles() = Title("same", "B", 2);
       },
       "reputation_policy.titles[1].title_id"},
      {"titles", [](auto& p) { *p.add_titles() = Title("x", "A", 1); },
       "reputation_policy.titles[0].title_id"},
      {"titles",
       [](auto& p) {
         *p.add_titles() = Title("long", std::string(61, 'a'), 1);
       },
       "reputation_policy.titles[0].display_name.translations[fr]"},
      {"titles",
       [](auto& p) {
         *p.add_titles() = Title("high", "Haut", 100);
         *p.add_titles() = Title("low", "Bas", 10);
       },
       "reputation_policy.titles[1]"},
      {"nonsense", [](auto&) {}, "update_mask"},
  };
  for (const Case& c : cases) {
    v1::ReputationPolicy policy;
    c.edit(policy);
    absl::StatusOr<v1::ReputationPolicy> updated =
        UpdatePolicy(Admin(), policy, {c.path});
    EXPECT_EQ(updated.status().code(), absl::StatusCode::kInvalidArgument)
        << c.field;
    EXPECT_THAT(std::string(updated.status().message()),
                StartsWith(c.field + ":"))
        << updated.status();
  }
  // 60 characters are fine, counted as characters, not bytes.
  v1::ReputationPolicy fine;
  std::string label;
  for (int i = 0; i < 60; ++i) label += "é";
  *fine.add_titles() = Title("long", label, 1);
  EXPECT_TRUE(UpdatePolicy(Admin(), fine, {"titles"}).ok());
}

TEST_F(ReputationTest, PolicyUpdateChecksTheEtagAndAppliesFromThenOn) {
  v1::ReputationPolicy policy;
  v1::ReputationRule* rule = policy.add_rules();
  rule->set_reason(v1::REPUTATION_REASON_POST_UPVOTED);
  rule->set_points(3);
  policy.set_etag("v0");
  absl::StatusOr<v1::ReputationPolicy> updated =
      UpdatePolicy(Admin(), policy, {"rules"});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->etag(), "v1");
  EXPECT_EQ(updated->daily_cap(), 200);  // outside the mask: kept
  EXPECT_EQ(updated->rules_size(), 1);

  absl::StatusOr<v1::ReputationPolicy> stale =
      UpdatePolicy(Admin(), policy, {"rules"});
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  EXPECT_THAT(std::string(stale.status().message()),
              StartsWith("reputation_policy.etag:"));

  // Answers now earn the rule without kind.
  Vote("ana", "a1");
  EXPECT_EQ(PointsOf("author"), 4);
  // Reasons without a rule give nothing.
  MustApply(IdeaEvent(common::v1::IDEA_STATUS_DELIVERED));
  EXPECT_EQ(PointsOf("author"), 4);
}

TEST_F(ReputationTest, OnlyTheTenantsAdminsUpdateThePolicy) {
  v1::ReputationPolicy policy;
  policy.set_daily_cap(100);
  for (const auth::Principal& caller :
       {Member("fr", "ana"),
        WithRole(Member("fr", "mod"), auth::kRoleModerator), Admin("it")}) {
    absl::StatusOr<v1::ReputationPolicy> refused =
        UpdatePolicy(caller, policy, {"daily_cap"});
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kPermissionDenied)
        << caller.subject << "@" << caller.tenant;
  }
  EXPECT_TRUE(UpdatePolicy(Admin("fr"), policy, {"daily_cap"}).ok());
  EXPECT_TRUE(
      UpdatePolicy(WithRole(Member("it", "root"), auth::kRolePlatformAdmin),
                   policy, {"daily_cap"})
          .ok());
}

TEST_F(ReputationTest, ExportHoldsOnlyTheMembersVotesAndHistory) {
  Publish({.id = "idea2", .author = "ana"});
  Vote("ana", "a1");
  Vote("ana", "idea1", VOTE_CHOICE_DOWN);
  Vote("ben", "idea1");
  Vote("ben", "idea2");  // ana's own reputation event

  v1::ExportMemberDataRequest request;
  request.set_name("tenants/fr/members/me");
  absl::StatusOr<v1::MemberRankingData> data =
      ExportMemberData(*context_, Member("fr", "ana"), request);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->member(), MemberName("ana"));
  ASSERT_EQ(data->votes_size(), 2);
  std::set<std::string> targets;
  for (const v1::Vote& vote : data->votes()) {
    EXPECT_EQ(vote.voter(), MemberName("ana"));
    targets.insert(vote.target().name());
  }
  EXPECT_EQ(targets, (std::set<std::string>{"tenants/fr/posts/a1",
                                            "tenants/fr/posts/idea1"}));
  EXPECT_EQ(data->reputation().points(), 6);
  ASSERT_EQ(data->reputation_events_size(), 1);
  EXPECT_THAT(data->reputation_events(0).name(),
              StartsWith("tenants/fr/members/ana/reputationEvents/"));
  EXPECT_TRUE(data->has_export_time());

  request.set_name(MemberName("ana"));
  EXPECT_EQ(
      ExportMemberData(*context_, Member("fr", "ben"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ExportMemberData(*context_, Admin("it"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(ExportMemberData(*context_, Admin("fr"), request).ok());
  request.set_name(MemberName("nobody"));
  EXPECT_EQ(ExportMemberData(*context_, Admin("fr"), request).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReputationTest, AnErasedMemberHasNoReputationLeft) {
  Vote("ana", "a1");
  Vote("author", "q1");  // an award to the asker that names the author
  ASSERT_EQ(PointsOf("asker"), 6);
  events::v1::Event erased = NewEvent("fr", events::v1::PRODUCER_IDENTITY);
  erased.mutable_member_erased()->set_member(MemberName("author"));
  Apply(erased);  // what ranking's identity consumer does first
  MustApply(erased);

  v1::GetReputationRequest request;
  request.set_name(MemberName("author") + "/reputation");
  EXPECT_EQ(GetReputation(*context_, nullptr, request).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Query("SELECT count(*) FROM reputation_events"
                  " WHERE member = 'author' OR award_key LIKE '%author%'"),
            "0");
  EXPECT_EQ(Query("SELECT count(*) FROM reputations WHERE member = 'author'"),
            "0");
  EXPECT_EQ(PointsOf("asker"), 6);  // the vote the author cast still counts
  v1::ExportMemberDataRequest export_request;
  export_request.set_name(MemberName("author"));
  EXPECT_EQ(
      ExportMemberData(*context_, Admin(), export_request).status().code(),
      absl::StatusCode::kNotFound);
  // A late event about the erased member brings nothing back.
  MustApply(VoteCastEvent("ben", "a1", CONTENT_KIND_ANSWER, "author"));
  EXPECT_EQ(Query("SELECT count(*) FROM reputations WHERE member = 'author'"),
            "0");
}

}  // namespace
}  // namespace agora::ranking
