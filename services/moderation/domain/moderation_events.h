// The events moderation announces (agora.events.v1), written to the outbox
// in the transaction of the change: moderation_decided (content applies
// it), post_flagged, flag_threshold_reached (content hides the post),
// appeal_created, appeal_decided.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_EVENTS_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_EVENTS_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// An envelope for `tenant` ("fr") with a new id, the time, the actor and the
// subject; the caller sets the payload and calls AppendEvent.
agora::events::v1::Event NewEvent(const ModerationContext& context,
                                  const std::string& tenant,
                                  const agora::common::v1::Actor& actor,
                                  const std::string& subject);

absl::Status AppendEvent(const ModerationContext& context,
                         pqxx::transaction_base& tx,
                         const agora::events::v1::Event& event);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_EVENTS_H_
