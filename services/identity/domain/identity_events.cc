#include "services/identity/domain/identity_events.h"

#include "libs/events/typed_event.h"

namespace agora::identity {

events::v1::Event NewIdentityEvent(const IdentityContext& context,
                                   absl::string_view tenant,
                                   const common::v1::Actor& actor,
                                   absl::string_view subject) {
  return events::NewEvent(events::v1::PRODUCER_IDENTITY, tenant, actor, subject,
                          context.now());
}

absl::Status AppendEvent(const IdentityContext& context,
                         pqxx::transaction_base& tx,
                         const events::v1::Event& event) {
  absl::StatusOr<events::EventRecord> record = events::ToRecord(event);
  if (!record.ok()) return record.status();
  return context.outbox.Append(tx, *record);
}

common::v1::Actor SystemActor() {
  common::v1::Actor actor;
  actor.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  return actor;
}

common::v1::Actor AnonymousActor() {
  common::v1::Actor actor;
  actor.set_type(common::v1::ACTOR_TYPE_ANONYMOUS);
  return actor;
}

}  // namespace agora::identity
