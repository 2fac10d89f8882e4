#include "libs/events/typed_consumer.h"

#include <utility>

#include "libs/events/typed_event.h"
#include "libs/redis/keys.h"

namespace agora::events {

std::unique_ptr<EventConsumer> StartTypedConsumer(pg::ConnectionPool& pool,
                                                  redis::RedisClient& redis,
                                                  const std::string& key_prefix,
                                                  const std::string& producer,
                                                  const std::string& group,
                                                  TypedEventHandler apply) {
  auto consumer = std::make_unique<EventConsumer>(
      pool, redis,
      ConsumerOptions{
          .stream =
              redis::KeyBuilder(key_prefix).SharedKey("events", {producer}),
          .group = group,
          .consumer = ""},
      [apply = std::move(apply)](pqxx::transaction_base& tx,
                                 const EventRecord& record) {
        absl::StatusOr<agora::events::v1::Event> event = FromRecord(record);
        if (!event.ok()) return event.status();
        return apply(tx, *event);
      });
  consumer->Start();
  return consumer;
}

}  // namespace agora::events
