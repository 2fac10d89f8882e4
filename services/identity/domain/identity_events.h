// Identity's events, written to the outbox in the transaction of the change
// they announce (stream agora:{events}:identity).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_EVENTS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_EVENTS_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"
#include "agora/events/v1/events.pb.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// An envelope from identity about `subject`; the caller sets the payload.
events::v1::Event NewIdentityEvent(const IdentityContext& context,
                                   absl::string_view tenant,
                                   const common::v1::Actor& actor,
                                   absl::string_view subject);

absl::Status AppendEvent(const IdentityContext& context,
                         pqxx::transaction_base& tx,
                         const events::v1::Event& event);

// Agora itself (automatic promotion, expiry) and callers without a token
// (sign-up, password reset).
common::v1::Actor SystemActor();
common::v1::Actor AnonymousActor();

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_EVENTS_H_
