// Events put on a producer's Redis stream exactly as the outbox relay
// writes them (libs/events/relay.cc: fields event_id, tenant, type,
// payload), for tests that play another service (identity announcing
// tenants and members) in front of a service binary's consumers.
#ifndef AGORA_TESTS_HARNESS_EVENT_STREAM_H_
#define AGORA_TESTS_HARNESS_EVENT_STREAM_H_

#include <string>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "libs/redis/client.h"

namespace agora::testing {

// A random version 4 UUID, lower case: what event ids look like.
std::string NewEventUuid();

// Appends `event` (payload set) to `producer`'s stream under `prefix`.
absl::Status PublishOnStream(redis::RedisClient& redis,
                             const std::string& prefix,
                             const std::string& producer,
                             const agora::events::v1::Event& event);

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_EVENT_STREAM_H_
