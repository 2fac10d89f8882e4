// The producer side: events written to the outbox table in the caller's own
// transaction, so that an event exists if and only if its change committed.
#ifndef AGORA_LIBS_EVENTS_OUTBOX_H_
#define AGORA_LIBS_EVENTS_OUTBOX_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "libs/events/event_record.h"

namespace agora::events {

class Outbox {
 public:
  // `producer` names the service (and its stream), e.g. "content".
  explicit Outbox(std::string producer);

  // Inserts the event in `tx` (which must have the service's schema on its
  // search_path) and wakes the relay with NOTIFY at commit. ALREADY_EXISTS
  // when an event with this id is already in the outbox.
  absl::Status Append(pqxx::transaction_base& tx,
                      const EventRecord& event) const;

  // Inserts several events with one statement and one NOTIFY (a batch of
  // votes announces its events in one round trip).
  absl::Status AppendAll(pqxx::transaction_base& tx,
                         absl::Span<const EventRecord> events) const;

  // The NOTIFY channel the relay listens on.
  const std::string& channel() const { return channel_; }
  const std::string& producer() const { return producer_; }

 private:
  std::string producer_;
  std::string channel_;
};

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_OUTBOX_H_
