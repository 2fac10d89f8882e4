// Forgetting events (GDPR erasure): the events that carried an erased
// member's data (a sign-up mail's address, a profile's display name) must not
// outlive the erasure, neither in the producer's outbox nor in its stream.
//
// In the erasure's own transaction, ForgetEvents deletes the outbox rows of
// the events selected (published or not: no consumer needs an erased
// member's sign-up mail) and notes the stream entries of those already
// published. After the commit, DeleteForgottenStreamEntries
// (libs/events/forgotten_entries.h) deletes the noted entries from the
// stream; if Redis is unavailable then, the relay does it once it is back.
// Entries older than the outbox's retention are not there to forget: the
// relay trims them together with their rows (RelayOptions::keep_published).
//
// `member_erased` events are never forgotten, whatever the selector says:
// they are what tells every service to anonymise.
#ifndef AGORA_LIBS_EVENTS_ERASURE_H_
#define AGORA_LIBS_EVENTS_ERASURE_H_

#include <cstdint>
#include <functional>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "agora/events/v1/events.pb.h"
#include "libs/events/forgotten_entries.h"
#include "libs/events/outbox.h"

namespace agora::events {

// Which events of an outbox to forget.
struct EventSelector {
  // Only events of this tenant, as in Event.tenant: "tenants/fr". Required.
  std::string tenant;
  // Only events whose serialized form holds these bytes (e.g. the member's
  // resource name, which every event about them carries): lets PostgreSQL
  // skip the other rows without the payloads being parsed. Empty: all.
  std::string payload_contains;
  // Whether an event is to be forgotten. Required.
  std::function<bool(const agora::events::v1::Event&)> matches;
};

struct ForgottenEvents {
  int64_t events = 0;          // outbox rows deleted
  int64_t stream_entries = 0;  // of which published: entries noted for XDEL
  int64_t failures = 0;        // failed applications (event_failures) deleted
  int64_t unreadable = 0;  // outbox payloads that did not parse (kept, logged)
};

// Deletes the selected events from `outbox` in `tx` (the service's schema on
// its search_path) and notes their stream entries; deletes as well the
// failures this schema's consumers recorded for selected events (they keep
// the payload, dead letters included). Waits for a relay
// publishing at that moment to commit (it takes the relay's advisory lock),
// so that no event is published unrecorded behind the erasure's back.
// INVALID_ARGUMENT naming the field when the selector is incomplete.
absl::StatusOr<ForgottenEvents> ForgetEvents(pqxx::transaction_base& tx,
                                             const Outbox& outbox,
                                             const EventSelector& selector);

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_ERASURE_H_
