// agora.events.v1.Event <-> EventRecord: the typed side of the events
// library, in its own target (agora_typed_events) so that the outbox, relay
// and consumer stay free of the generated contracts.
#ifndef AGORA_LIBS_EVENTS_TYPED_EVENT_H_
#define AGORA_LIBS_EVENTS_TYPED_EVENT_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/events/v1/events.pb.h"
#include "libs/events/event_record.h"

namespace agora::events {

// The record to append to the outbox: id and tenant from the envelope, type
// the name of the payload's oneof field ("post_published"), payload the
// serialized event. INVALID_ARGUMENT when the id, the tenant or the payload
// is missing.
// A new event envelope: fresh id, `tenants/{tenant_id}`, occur_time `now`,
// the producer, actor and subject (resource name the event is about). The
// caller sets the payload.
agora::events::v1::Event NewEvent(agora::events::v1::Producer producer,
                                  absl::string_view tenant_id,
                                  const agora::common::v1::Actor& actor,
                                  absl::string_view subject, absl::Time now);

absl::StatusOr<EventRecord> ToRecord(const agora::events::v1::Event& event);

// The event a consumer received. INVALID_ARGUMENT when the payload does not
// parse or does not match the record's id or type (a corrupt or forged
// stream entry).
absl::StatusOr<agora::events::v1::Event> FromRecord(const EventRecord& record);

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_TYPED_EVENT_H_
