// The review queue (table queue_items). One open item per post: a post that
// is screened again, or flagged, while an item is open joins that item.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_QUEUE_STORE_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_QUEUE_STORE_H_

#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

struct NewQueueItem {
  std::string tenant;
  agora::common::v1::TargetRef target;
  std::string space;
  std::string author;
  agora::moderation::v1::QueueSource source =
      agora::moderation::v1::QUEUE_SOURCE_UNSPECIFIED;
  int risk_score = 0;
  double flag_weight = 0;
  int flag_count = 0;
  std::string screening_id;  // UUID or empty
  std::string appeal_id;     // UUID or empty
  std::string title;         // masked
  std::string body;          // masked
  std::vector<int> reasons;  // agora.common.v1.ModerationReason values
  std::vector<agora::moderation::v1::Finding> findings;
  absl::Time due_time;
};

// Opens an item, or updates the post's open item (risk and flags raised,
// texts and findings replaced when given, earliest due time kept).
absl::StatusOr<agora::moderation::v1::QueueItem> InsertOrJoinQueueItem(
    pqxx::transaction_base& tx, const NewQueueItem& item);

// The item, or nullopt. With `for_update`, the row is locked until the
// transaction ends.
std::optional<agora::moderation::v1::QueueItem> FindQueueItem(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& id, bool for_update);

// The open or claimed item of a post, locked, or nullopt.
std::optional<agora::moderation::v1::QueueItem> FindOpenItemForTarget(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& target_name);

struct QueueFilter {
  std::vector<int> states;   // QueueItem.State values; empty = open and claimed
  std::vector<int> sources;  // QueueSource values; empty = all
  std::vector<int> kinds;    // ContentKind values; empty = all
  std::string space, claimed_by, author, target;
  bool overdue_only = false;
  agora::moderation::v1::QueueOrder order =
      agora::moderation::v1::QUEUE_ORDER_PRIORITY;
};

// A page of items from position `offset` of the order; `next_key` is the
// offset of the next page, empty at the end.
struct QueuePage {
  std::vector<agora::moderation::v1::QueueItem> items;
  std::string next_key;
  int64_t total = 0;
};
QueuePage ListQueue(pqxx::transaction_base& tx, const std::string& tenant,
                    const QueueFilter& filter, int64_t offset, int page_size);

// Claims the item for `moderator` until now + lease when it is open, or
// claimed by them, or its lease ran out. FAILED_PRECONDITION when someone
// else holds it or it is closed.
absl::StatusOr<agora::moderation::v1::QueueItem> ClaimItem(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& id, const std::string& moderator, absl::Duration lease);

// Claims the highest-priority claimable item matching the filter, skipping
// rows other moderators are claiming at this instant. NOT_FOUND when none.
absl::StatusOr<agora::moderation::v1::QueueItem> ClaimNextItem(
    pqxx::transaction_base& tx, const std::string& tenant,
    const QueueFilter& filter, const std::string& moderator,
    absl::Duration lease);

// Back to open (only by its holder; tenant admins may release anyone's).
absl::StatusOr<agora::moderation::v1::QueueItem> ReleaseItem(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& id, const std::string& moderator, bool force);

// Closes the item with a decision.
void CloseItem(pqxx::transaction_base& tx, const std::string& tenant,
               const std::string& id, const std::string& decision_id);

// Escalation: back to open, source ESCALATED, unclaimed.
void EscalateItem(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& id);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_QUEUE_STORE_H_
