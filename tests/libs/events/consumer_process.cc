// Test helper: runs one EventConsumer whose effect is a row in table
// `effects` per applied event, slowed down by a delay per event so that the
// test can kill it in the middle of a batch.
//   events_consumer_process PG_URL REDIS_ADDR STREAM CONSUMER CLAIM_IDLE_MS
//   DELAY_MS
#include <cstdio>
#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/time/clock.h"
#include "libs/events/consumer.h"

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(
        stderr,
        "usage: %s PG_URL REDIS_ADDR STREAM CONSUMER CLAIM_IDLE_MS DELAY_MS\n",
        argv[0]);
    return 2;
  }
  int claim_idle_ms = 0, delay_ms = 0;
  if (!absl::SimpleAtoi(argv[5], &claim_idle_ms) ||
      !absl::SimpleAtoi(argv[6], &delay_ms)) {
    return 2;
  }
  agora::pg::ConnectionPool pool({.conninfo = argv[1], .max_size = 2});
  absl::StatusOr<agora::redis::RedisOptions> options =
      agora::redis::ParseAddress(argv[2]);
  if (!options.ok()) return 2;
  agora::redis::RedisClient redis(*options);
  agora::events::EventConsumer consumer(
      pool, redis,
      {.stream = argv[3],
       .group = "effects",
       .consumer = argv[4],
       .batch_size = 20,
       .block = absl::Milliseconds(200),
       .claim_idle = absl::Milliseconds(claim_idle_ms)},
      [delay_ms](pqxx::transaction_base& tx,
                 const agora::events::EventRecord& event) {
        tx.exec_params(
            "INSERT INTO effects (event_id, payload) VALUES ($1, $2)",
            event.event_id, event.payload);
        absl::SleepFor(absl::Milliseconds(delay_ms));
        return absl::OkStatus();
      });
  if (!consumer.EnsureGroup().ok()) return 1;
  while (true) {
    absl::StatusOr<int> handled = consumer.PollOnce();
    if (!handled.ok()) absl::SleepFor(absl::Milliseconds(100));
  }
}
