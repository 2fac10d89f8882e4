// The review queue through the domain: leases, decisions, events, batches.
#include "services/moderation/domain/review_queue.h"

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "services/moderation/domain/screening.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

class ReviewQueueTest : public ModerationTest {
 protected:
  // A held post (pre-moderated space) and its queue item's name.
  std::string HoldPost(const std::string& post) {
    v1::ScreenRequest request =
        ScreenRequestFor("fr", post, "Une question à relire.", 3);
    request.set_space("tenants/fr/spaces/forum");
    request.set_space_moderation_mode(common::MODERATION_MODE_PRE_MODERATION);
    absl::StatusOr<v1::Screening> screening =
        ScreenPost(context(), ContentService("fr"), request);
    EXPECT_TRUE(screening.ok()) << screening.status();
    return screening.ok() ? screening->queue_item() : "";
  }

  v1::DecideRequest Approve(const std::string& item) {
    v1::DecideRequest request;
    request.set_name(item);
    request.set_action(v1::DECISION_ACTION_APPROVE);
    return request;
  }
};

TEST_F(ReviewQueueTest, LeasesKeepTwoModeratorsOffTheSameItem) {
  const std::string item = HoldPost("q1");
  v1::ClaimQueueItemRequest claim;
  claim.set_name(item);
  absl::StatusOr<v1::QueueItem> mine =
      ClaimQueueItem(context(), Moderator("fr", "alice"), claim);
  ASSERT_TRUE(mine.ok()) << mine.status();
  EXPECT_EQ(mine->state(), v1::QueueItem::STATE_CLAIMED);
  EXPECT_EQ(mine->claimed_by(), "tenants/fr/members/alice");
  EXPECT_EQ(
      ClaimQueueItem(context(), Moderator("fr", "bob"), claim).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(DecideQueueItem(context(), Moderator("fr", "bob"), Approve(item))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  // Alice's lease runs out: Bob may take it.
  pqxx::connection connection(database_url());
  pqxx::nontransaction(connection)
      .exec(
          "UPDATE queue_items SET lease_expire_time = now() - interval '1 "
          "second'");
  EXPECT_TRUE(ClaimQueueItem(context(), Moderator("fr", "bob"), claim).ok());
}

TEST_F(ReviewQueueTest, ClaimNextTakesTheHighestPriorityAndSkipsClaimedItems) {
  const std::string first = HoldPost("n1");
  const std::string second = HoldPost("n2");
  pqxx::connection connection(database_url());
  pqxx::nontransaction(connection)
      .exec_params("UPDATE queue_items SET risk_score = 90 WHERE id::text = $1",
                   IdOf(second));
  v1::ClaimNextQueueItemRequest next;
  next.set_parent("tenants/fr");
  absl::StatusOr<v1::QueueItem> a =
      ClaimNextQueueItem(context(), Moderator("fr", "alice"), next);
  absl::StatusOr<v1::QueueItem> b =
      ClaimNextQueueItem(context(), Moderator("fr", "bob"), next);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->name(), second);
  EXPECT_EQ(b->name(), first);
  EXPECT_EQ(ClaimNextQueueItem(context(), Moderator("fr", "carol"), next)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ReviewQueueTest, ApprovalClosesTheItemAndAnnouncesTheDecision) {
  const std::string item = HoldPost("a1");
  v1::DecideRequest request = Approve(item);
  request.set_request_id("11111111-2222-4333-8444-555555555555");
  absl::StatusOr<v1::Decision> decision =
      DecideQueueItem(context(), Moderator("fr", "alice"), request);
  ASSERT_TRUE(decision.ok()) << decision.status();
  EXPECT_EQ(decision->resulting_state(), common::POST_STATE_PUBLISHED);
  // A retry answers the same decision; a new decision on a closed item fails.
  absl::StatusOr<v1::Decision> retry =
      DecideQueueItem(context(), Moderator("fr", "alice"), request);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->name(), decision->name());
  EXPECT_EQ(DecideQueueItem(context(), Moderator("fr", "alice"), Approve(item))
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  int decided = 0;
  for (const agora::events::v1::Event& event : OutboxEvents(database_url())) {
    if (!event.has_moderation_decided()) continue;
    ++decided;
    EXPECT_EQ(event.tenant(), "tenants/fr");
    EXPECT_EQ(event.moderation_decided().post().name(), "tenants/fr/posts/a1");
    EXPECT_EQ(event.moderation_decided().resulting_state(),
              common::POST_STATE_PUBLISHED);
  }
  EXPECT_EQ(decided, 1);
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM queue_items WHERE state = 3"),
            1);
  SealAudit();
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM audit_log WHERE entry_type = 3"),
            1);
}

TEST_F(ReviewQueueTest, RejectionNeedsAReasonAndEditsAreMasked) {
  const std::string item = HoldPost("r1");
  v1::DecideRequest reject;
  reject.set_name(item);
  reject.set_action(v1::DECISION_ACTION_REJECT);
  EXPECT_EQ(DecideQueueItem(context(), Moderator("fr", "alice"), reject)
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  v1::DecideRequest edit;
  edit.set_name(item);
  edit.set_action(v1::DECISION_ACTION_EDIT_AND_APPROVE);
  edit.set_edited_body("Écrivez-moi à jean.dupont@example.org pour en parler.");
  ASSERT_TRUE(DecideQueueItem(context(), Moderator("fr", "alice"), edit).ok());
  const std::vector<agora::events::v1::Event> events =
      OutboxEvents(database_url());
  ASSERT_FALSE(events.empty());
  const agora::events::v1::ModerationDecided& decided =
      events.back().moderation_decided();
  EXPECT_TRUE(decided.edited());
  EXPECT_EQ(decided.edited_body().find("jean.dupont@example.org"),
            std::string::npos)
      << "a moderator's edit is masked too: " << decided.edited_body();
}

TEST_F(ReviewQueueTest, BatchIsAllOrNothing) {
  const std::string first = HoldPost("b1");
  v1::BatchDecideRequest batch;
  batch.set_parent("tenants/fr");
  *batch.add_requests() = Approve(first);
  *batch.add_requests() =
      Approve("tenants/fr/queueItems/00000000-0000-4000-8000-000000000000");
  absl::StatusOr<v1::BatchDecideResponse> response =
      BatchDecideQueueItems(context(), Moderator("fr", "alice"), batch);
  EXPECT_EQ(response.status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(absl::StrContains(response.status().message(), "requests[1]"));
  EXPECT_EQ(CountRows(database_url(), "SELECT count(*) FROM decisions"), 0);
  EXPECT_EQ(CountRows(database_url(),
                      "SELECT count(*) FROM queue_items WHERE state = 1"),
            1);
}

TEST_F(ReviewQueueTest, OnlyModeratorsOfTheTenantSeeTheQueue) {
  const std::string item = HoldPost("s1");
  v1::ListQueueItemsRequest list;
  list.set_parent("tenants/fr");
  absl::StatusOr<v1::ListQueueItemsResponse> page =
      ListQueueItems(context(), Moderator("fr", "alice"), list);
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->queue_items_size(), 1);
  EXPECT_EQ(page->total_size(), 1);
  EXPECT_EQ(ListQueueItems(context(), Member("fr", "m1"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ListQueueItems(context(), Moderator("it", "mario"), list).status().code(),
      absl::StatusCode::kPermissionDenied);
  // The author sees their own item (without moderator details); others don't.
  v1::GetQueueItemRequest get;
  get.set_name(item);
  absl::StatusOr<v1::QueueItem> own =
      GetQueueItem(context(), Member("fr", "author-1"), get);
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ(own->state(), v1::QueueItem::STATE_OPEN);
  EXPECT_TRUE(own->findings().empty());
  EXPECT_EQ(GetQueueItem(context(), Member("fr", "someone-else"), get)
                .status()
                .code(),
            absl::StatusCode::kNotFound);
  list.set_page_size(-1);
  EXPECT_EQ(ListQueueItems(context(), Moderator("fr", "alice"), list).status(),
            absl::InvalidArgumentError("page_size: must not be negative"));
}

}  // namespace
}  // namespace agora::moderation
