// Community flags and appeals through the domain.
#include <gtest/gtest.h>

#include "services/moderation/domain/appeals.h"
#include "services/moderation/domain/flags.h"
#include "services/moderation/domain/review_queue.h"
#include "services/moderation/domain/screening.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

class FlagsAndAppealsTest : public ModerationTest {
 protected:
  absl::StatusOr<v1::Flag> FlagPost(const std::string& post,
                                    const auth::Principal& reporter) {
    v1::CreateFlagRequest request;
    request.set_parent("tenants/fr");
    request.mutable_flag()->mutable_target()->set_name("tenants/fr/posts/" +
                                                       post);
    request.mutable_flag()->mutable_target()->set_kind(
        common::CONTENT_KIND_ANSWER);
    request.mutable_flag()->set_reason(v1::FLAG_REASON_SPAM);
    return CreateFlag(context(), reporter, request);
  }
  int EventsOf(bool (agora::events::v1::Event::*has)() const) {
    int count = 0;
    for (const auto& event : OutboxEvents(database_url()))
      count += (event.*has)() ? 1 : 0;
    return count;
  }
};

TEST_F(FlagsAndAppealsTest, ThresholdOfWeightedFlagsQueuesAndHidesOnce) {
  // Trust level 2 counts 1.0; the default threshold is 3.
  ASSERT_TRUE(FlagPost("f1", Member("fr", "a", 2)).ok());
  ASSERT_TRUE(FlagPost("f1", Member("fr", "b", 2)).ok());
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM queue_items"), 0);
  EXPECT_EQ(EventsOf(&agora::events::v1::Event::has_flag_threshold_reached), 0);
  ASSERT_TRUE(FlagPost("f1", Member("fr", "c", 2)).ok());
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM queue_items WHERE source = 3"),
            1);
  EXPECT_EQ(EventsOf(&agora::events::v1::Event::has_flag_threshold_reached), 1);
  ASSERT_TRUE(FlagPost("f1", Member("fr", "d", 2)).ok());
  EXPECT_EQ(EventsOf(&agora::events::v1::Event::has_flag_threshold_reached), 1)
      << "only once";
  EXPECT_EQ(CountRows(database_url(), "SELECT flag_count FROM queue_items"), 4);
  EXPECT_EQ(EventsOf(&agora::events::v1::Event::has_post_flagged), 4);
}

TEST_F(FlagsAndAppealsTest, OneFlagPerMemberPerPostAndWrongFlagsWeighLess) {
  ASSERT_TRUE(FlagPost("f2", Member("fr", "a", 2)).ok());
  EXPECT_EQ(FlagPost("f2", Member("fr", "a", 2)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(FlagPost("f2", Member("it", "x", 2)).status().code(),
            absl::StatusCode::kPermissionDenied);
  ASSERT_TRUE(FlagPost("f2", Member("fr", "b", 2)).ok());
  ASSERT_TRUE(FlagPost("f2", Member("fr", "c", 2)).ok());
  v1::ListQueueItemsRequest list;
  list.set_parent("tenants/fr");
  absl::StatusOr<v1::ListQueueItemsResponse> queue =
      ListQueueItems(context(), Moderator("fr", "mod"), list);
  ASSERT_TRUE(queue.ok() && queue->queue_items_size() == 1);
  v1::DecideRequest approve;
  approve.set_name(queue->queue_items(0).name());
  approve.set_action(v1::DECISION_ACTION_APPROVE);
  ASSERT_TRUE(DecideQueueItem(context(), Moderator("fr", "mod"), approve).ok());
  EXPECT_EQ(
      CountRows(database_url(), "SELECT count(*) FROM flags WHERE state = 3"),
      3)
      << "approval dismisses the flags";
  absl::StatusOr<v1::Flag> next = FlagPost("f3", Member("fr", "a", 2));
  ASSERT_TRUE(next.ok());
  EXPECT_DOUBLE_EQ(next->weight(), 0.8)
      << "a dismissed flag costs a fifth of the weight";
}

TEST_F(FlagsAndAppealsTest, AppealGoesToAnotherModeratorAndCanOverturn) {
  v1::ScreenRequest screen =
      ScreenRequestFor("fr", "ap1", "Texte à relire.", 3);
  screen.set_space("tenants/fr/spaces/forum");
  screen.set_space_moderation_mode(common::MODERATION_MODE_PRE_MODERATION);
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), ContentService("fr"), screen);
  ASSERT_TRUE(screening.ok()) << screening.status();
  v1::DecideRequest reject;
  reject.set_name(screening->queue_item());
  reject.set_action(v1::DECISION_ACTION_REJECT);
  reject.add_reasons(common::MODERATION_REASON_OFF_TOPIC);
  ASSERT_TRUE(
      DecideQueueItem(context(), Moderator("fr", "alice"), reject).ok());

  v1::CreateAppealRequest appeal;
  appeal.set_parent("tenants/fr");
  appeal.mutable_appeal()->mutable_target()->set_name("tenants/fr/posts/ap1");
  appeal.mutable_appeal()->set_statement(
      "Mon message était bien dans le sujet.");
  EXPECT_EQ(
      CreateAppeal(context(), Member("fr", "intruder"), appeal).status().code(),
      absl::StatusCode::kNotFound)
      << "only the author may appeal";
  absl::StatusOr<v1::Appeal> created =
      CreateAppeal(context(), Member("fr", "author-1"), appeal);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->state(), v1::Appeal::STATE_OPEN);
  EXPECT_EQ(
      CreateAppeal(context(), Member("fr", "author-1"), appeal).status().code(),
      absl::StatusCode::kAlreadyExists);

  v1::DecideAppealRequest decide;
  decide.set_name(created->name());
  decide.set_outcome(v1::APPEAL_OUTCOME_OVERTURN);
  decide.set_note("Le message est pertinent.");
  EXPECT_EQ(
      DecideAppeal(context(), Moderator("fr", "alice"), decide).status().code(),
      absl::StatusCode::kPermissionDenied)
      << "not by the moderator who decided";
  absl::StatusOr<v1::Appeal> decided =
      DecideAppeal(context(), Moderator("fr", "bob"), decide);
  ASSERT_TRUE(decided.ok()) << decided.status();
  EXPECT_EQ(decided->state(), v1::Appeal::STATE_OVERTURNED);
  const std::vector<agora::events::v1::Event> events =
      OutboxEvents(database_url());
  ASSERT_GE(events.size(), 2u);
  bool republished = false;
  for (const auto& event : events) {
    republished =
        republished || (event.has_moderation_decided() &&
                        event.moderation_decided().resulting_state() ==
                            common::POST_STATE_PUBLISHED);
  }
  EXPECT_TRUE(republished);
  EXPECT_TRUE(events.back().has_appeal_decided());
  EXPECT_TRUE(events.back().appeal_decided().overturned());
}

TEST_F(FlagsAndAppealsTest, AppealWindowCloses) {
  v1::ScreenRequest screen = ScreenRequestFor("fr", "ap2", "Texte.", 3);
  screen.set_space_moderation_mode(common::MODERATION_MODE_PRE_MODERATION);
  absl::StatusOr<v1::Screening> screening =
      ScreenPost(context(), ContentService("fr"), screen);
  ASSERT_TRUE(screening.ok());
  v1::DecideRequest remove;
  remove.set_name(screening->queue_item());
  remove.set_action(v1::DECISION_ACTION_REMOVE);
  remove.add_reasons(common::MODERATION_REASON_ABUSE);
  ASSERT_TRUE(
      DecideQueueItem(context(), Moderator("fr", "alice"), remove).ok());
  context().now = [] {
    return absl::Now() + absl::Hours(24 * 31);
  };  // default window: 30 days
  v1::CreateAppealRequest appeal;
  appeal.set_parent("tenants/fr");
  appeal.mutable_appeal()->mutable_target()->set_name("tenants/fr/posts/ap2");
  appeal.mutable_appeal()->set_statement("Trop tard ?");
  EXPECT_EQ(
      CreateAppeal(context(), Member("fr", "author-1"), appeal).status().code(),
      absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace agora::moderation
