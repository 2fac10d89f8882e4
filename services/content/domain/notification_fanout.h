// Automatic follows and notifications, derived from content's own outbox
// events and ranking's vote events (one consumer function for both streams).
//   post.published   the author follows the post (top-level) or the thread
//                    (answers, comments); a new answer notifies the
//                    question's followers; a new top-level post notifies the
//                    followers of its category and of its author; a post
//                    published by someone else's act (review, rescreening,
//                    restore) notifies its author (MODERATION_DECISION).
//   comment.created  followers of the thread, the author of the post
//                    commented on and of the comment replied to.
//   answer.accepted  the answer's author and the question's followers.
//   idea.status_changed  the idea's author and followers (voters follow),
//                    with the official response as the excerpt.
//   ideas.merged     the duplicate's followers move to the original and are
//                    notified with its author (POST_MERGED).
//   post.hidden / post.removed  the author (MODERATION_DECISION; always in
//                    the inbox whatever the preferences).
//   vote.cast        the voter follows the post.
// Nobody is notified of their own act, nor erased members, nor service
// accounts. Each notification is also a notification.created event, with
// e-mail and push as the recipient's preferences say. Applying an event
// twice adds nothing: each applied event id is recorded (as long as
// notifications are kept), and there is one notification per recipient and
// event.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATION_FANOUT_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATION_FANOUT_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// Other events are ignored (OK). INVALID_ARGUMENT for a malformed tenant.
absl::Status ApplyFollowAndNotifyEvent(ContentContext& context,
                                       pqxx::transaction_base& tx,
                                       const events::v1::Event& event);

// member.erased: the member's follows, the follows of the member, their
// inbox and preferences are deleted, and they no longer appear as the actor
// of others' notifications (shown as an erased member).
absl::Status ForgetMemberFollowsAndNotifications(pqxx::transaction_base& tx,
                                                 const std::string& tenant,
                                                 const std::string& member);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_NOTIFICATION_FANOUT_H_
