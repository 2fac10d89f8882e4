// What travels from a producer's outbox through Redis Streams to consumers:
// the event id (dedup key), its tenant, its type (the name of the typed event
// in agora.events.v1.Event's oneof, e.g. "post_published") and the payload,
// a serialized agora.events.v1.Event. This layer never parses the payload.
#ifndef AGORA_LIBS_EVENTS_EVENT_RECORD_H_
#define AGORA_LIBS_EVENTS_EVENT_RECORD_H_

#include <string>

namespace agora::events {

struct EventRecord {
  std::string event_id;  // UUID, lower-case canonical text
  std::string tenant;
  std::string type;
  std::string payload;  // bytes
};

// A random (version 4) UUID for a new event.
std::string NewEventId();

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_EVENT_RECORD_H_
