// A member's notification inbox (list newest first with the unread count,
// the unread badge, marking read) and notification preferences (channels
// per type and the e-mail rhythm). The member themselves only. Notifications
// are made by notification_fanout.h and kept kNotificationRetention.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATIONS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATIONS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

inline constexpr absl::Duration kNotificationRetention = absl::Hours(24 * 180);

absl::StatusOr<v1::ListNotificationsResponse> ListNotifications(
    ContentContext& context, const auth::Principal& caller,
    const v1::ListNotificationsRequest& request);

absl::StatusOr<v1::CountUnreadNotificationsResponse> CountUnreadNotifications(
    ContentContext& context, const auth::Principal& caller,
    const v1::CountUnreadNotificationsRequest& request);

// Exactly one of `names` (1-100 of the member's own) and
// `read_before_time`; INVALID_ARGUMENT naming `names` otherwise.
absl::StatusOr<v1::MarkNotificationsReadResponse> MarkNotificationsRead(
    ContentContext& context, const auth::Principal& caller,
    const v1::MarkNotificationsReadRequest& request);

absl::StatusOr<v1::NotificationPreferences> GetNotificationPreferences(
    ContentContext& context, const auth::Principal& caller,
    const v1::GetNotificationPreferencesRequest& request);

// update_mask paths: settings, email_digest (or *). A stale etag is
// FAILED_PRECONDITION (ETAG_MISMATCH).
absl::StatusOr<v1::NotificationPreferences> UpdateNotificationPreferences(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateNotificationPreferencesRequest& request);

// Deletes up to `batch_size` notifications older than kNotificationRetention
// (every tenant); returns how many. Call periodically until it returns less
// than `batch_size`.
absl::StatusOr<int> PruneNotifications(ContentContext& context, int batch_size);

// How a notification of `type` reaches a member with these preferences:
// per-type settings, else inbox and e-mail on and push off; the moderation
// decisions on one's own posts are always in the inbox; e-mail is "now"
// only with the immediate rhythm (digests are built from the inbox).
struct NotificationChannels {
  bool inbox = true;
  bool email = true;
  bool push = false;
};
NotificationChannels ChannelsFor(const v1::NotificationPreferences& preferences,
                                 common::v1::NotificationType type);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATIONS_H_
