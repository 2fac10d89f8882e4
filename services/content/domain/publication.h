// What follows a post's state change: the counters of its space, category
// and parent, and the events other services act on (ranking indexes
// published posts and drops the others at once; notifications follow).
// Called in the transaction that changed the state.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_PUBLICATION_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_PUBLICATION_H_

#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/content/domain/content_context.h"
#include "services/content/repository/post_store.h"

namespace agora::content {

// Why a post left publication (for post.hidden / post.removed).
struct StateChangeCause {
  std::string decision;  // tenants/{t}/decisions/{d}, or ""
  std::vector<common::v1::ModerationReason> reasons;
};

// Plain-text start of a Markdown body, at most 300 characters.
std::string ExcerptOf(const std::string& body);

// A content event envelope for `subject`, its payload to be set.
events::v1::Event NewContentEvent(const ContentContext& context,
                                  const std::string& tenant,
                                  const common::v1::Actor& actor,
                                  const std::string& subject);

// Appends `event` to the outbox in `tx`.
absl::Status AppendContentEvent(const ContentContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event);

// post.created for a new post (whatever its state).
absl::Status AnnounceCreated(const ContentContext& context,
                             pqxx::transaction_base& tx, const StoredPost& post,
                             const common::v1::Actor& actor,
                             const std::string& screening);

// Counters and events for `post` (its new state already written) having
// been in state `before`: post.published (and comment.created the first
// time) when it became visible, post.hidden / post.removed / post.deleted
// when it stopped being visible. Nothing when visibility did not change.
absl::Status AnnounceStateChange(const ContentContext& context,
                                 pqxx::transaction_base& tx,
                                 const StoredPost& post,
                                 common::v1::PostState before,
                                 bool first_publication,
                                 const common::v1::Actor& actor,
                                 const StateChangeCause& cause = {});

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_PUBLICATION_H_
