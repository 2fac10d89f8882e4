// The notification inbox and notification preferences in PostgreSQL: the
// only code that knows those tables. A notification is read back with its
// actor shown from the members table (erased members shown as such).
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_NOTIFICATION_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_NOTIFICATION_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"

namespace agora::content {

// Who caused a notification, as stored.
enum class NotificationActorKind {
  kNone = 0,  // the system
  kMember = 1,
  kServiceAccount = 2,
  kErasedMember = 3,
};

// What every recipient of one event's notification shares.
struct NewNotification {
  // The event it comes from (one notification per recipient and event).
  std::string source_event;
  common::v1::NotificationType type = common::v1::NOTIFICATION_TYPE_UNSPECIFIED;
  common::v1::ContentKind subject_kind = common::v1::CONTENT_KIND_UNSPECIFIED;
  std::string subject;      // post id, or ""
  std::string thread_root;  // post id, or ""
  NotificationActorKind actor_kind = NotificationActorKind::kNone;
  std::string actor;  // member or service account id
  std::string title;
  std::string excerpt;
  common::v1::IdeaStatus idea_status = common::v1::IDEA_STATUS_UNSPECIFIED;
  common::v1::PostState post_state = common::v1::POST_STATE_UNSPECIFIED;
  std::vector<int> moderation_reasons;
  absl::Time create_time;
};

// One recipient's copy.
struct NotificationDelivery {
  std::string member;
  std::string id;
  bool inbox = true;
};

std::string NotificationResourceName(const std::string& tenant,
                                     const std::string& member,
                                     const std::string& id);

// Inserts one row per delivery in one statement; returns the deliveries
// inserted (those not already made from the same event).
std::vector<NotificationDelivery> InsertNotifications(
    pqxx::transaction_base& tx, const std::string& tenant,
    const NewNotification& notification,
    const std::vector<NotificationDelivery>& deliveries);

// The member's inbox newest first, strictly after `before` (create time in
// microseconds, id).
std::vector<v1::Notification> ListNotificationRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member,
    const std::optional<std::pair<int64_t, std::string>>& before,
    bool unread_only, int limit);

int CountUnreadRows(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& member);

// Marks read; returns how many changed from unread.
int MarkRowsRead(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member,
                 const std::vector<std::string>& ids);
int MarkRowsReadBefore(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& member, absl::Time before);

// Records that the event's follows and notifications are applied; false
// when they were already (by this or a concurrent transaction).
bool ClaimNotificationSource(pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const std::string& event_id, absl::Time now);

// Deletes at most `limit` notifications (and as many applied-event records)
// created before `cutoff` (every tenant); returns how many.
int DeleteNotificationsBefore(pqxx::transaction_base& tx, absl::Time cutoff,
                              int limit);

// The member's inbox and preferences are deleted; the member no longer
// appears as the actor of others' notifications.
void ForgetMemberNotifications(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const std::string& member);

// --- Preferences ---

struct StoredPreferences {
  // Without name and etag; update_time set when stored.
  v1::NotificationPreferences preferences;
  int64_t version = 0;  // 0: never stored (defaults)
};
StoredPreferences LoadPreferences(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& member);
// `preferences` without name, etag and update time; bumps the version.
void SavePreferences(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member,
                     const v1::NotificationPreferences& preferences,
                     absl::Time now);

// What a notification needs to know about each recipient.
struct RecipientFacts {
  v1::NotificationPreferences preferences;  // empty: defaults
  std::string language;                     // "" when unknown
  bool erased = false;
};
absl::flat_hash_map<std::string, RecipientFacts> FindRecipientFacts(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& members);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_NOTIFICATION_STORE_H_
