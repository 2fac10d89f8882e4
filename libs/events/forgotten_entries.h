// The stream side of forgetting events (see libs/events/erasure.h): outbox
// rows an erasure deleted leave a note of their stream entry's id in
// forgotten_stream_entries, in the erasure's own transaction; this deletes
// those entries from the stream (XDEL) and then the notes. Run it after the
// erasure commits (never before: a rolled-back erasure must take nothing
// back); the relay runs it too, so that entries noted while Redis was
// unavailable, or by a process without a relay (an operator command), go
// as soon as Redis is back.
#ifndef AGORA_LIBS_EVENTS_FORGOTTEN_ENTRIES_H_
#define AGORA_LIBS_EVENTS_FORGOTTEN_ENTRIES_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"

namespace agora::events {

// Deletes from `stream` (the producer's stream, the relay's
// RelayOptions::stream) every entry noted as forgotten, and the notes.
// Returns how many notes were handled (entries already trimmed count too).
// UNAVAILABLE when Redis or PostgreSQL is: the notes that were not handled
// stay for the next call. Safe to run concurrently with itself.
absl::StatusOr<int64_t> DeleteForgottenStreamEntries(pg::ConnectionPool& pool,
                                                     redis::RedisClient& redis,
                                                     const std::string& stream);

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_FORGOTTEN_ENTRIES_H_
