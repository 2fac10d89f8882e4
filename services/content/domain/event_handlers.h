// What content does with other services' events, each applied once in the
// consumer's transaction (libs/events): identity's tenants and members
// (languages, how authors are shown, erasure) and moderation's decisions
// (publish, hide, remove or reject a post; a moderator's edit becomes a
// revision).
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_EVENT_HANDLERS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_EVENT_HANDLERS_H_

#include <pqxx/transaction_base>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::Status ApplyIdentityEvent(ContentContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event);

absl::Status ApplyModerationEvent(ContentContext& context,
                                  pqxx::transaction_base& tx,
                                  const events::v1::Event& event);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_EVENT_HANDLERS_H_
