// A consumer of another service's typed events: reads `producer`'s stream
// as consumer group `group`, turns each record into an agora.events.v1.Event
// and applies it with `apply` in the transaction that records it (once per
// event, libs/events/consumer.h). Started before it is returned.
#ifndef AGORA_LIBS_EVENTS_TYPED_CONSUMER_H_
#define AGORA_LIBS_EVENTS_TYPED_CONSUMER_H_

#include <functional>
#include <memory>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"
#include "agora/events/v1/events.pb.h"
#include "libs/events/consumer.h"

namespace agora::events {

using TypedEventHandler = std::function<absl::Status(
    pqxx::transaction_base& tx, const agora::events::v1::Event& event)>;

// `key_prefix` is the Redis key prefix ("agora"): the stream is
// <prefix>:{events}:<producer>, as the producer's relay writes it.
std::unique_ptr<EventConsumer> StartTypedConsumer(pg::ConnectionPool& pool,
                                                  redis::RedisClient& redis,
                                                  const std::string& key_prefix,
                                                  const std::string& producer,
                                                  const std::string& group,
                                                  TypedEventHandler apply);

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_TYPED_CONSUMER_H_
