// Publishes a service's outbox to its Redis stream, in outbox order. Woken by
// the NOTIFY the outbox sends at commit, with polling as the fallback (a lost
// notification or a broken LISTEN connection delays events, never loses them).
// Any number of replicas may run a relay: a transaction-scoped advisory lock
// lets one publish at a time, which keeps the stream in commit order.
// Delivery is at least once: a crash between XADD and the commit publishes a
// batch again, and consumers drop the duplicates by event id.
// Each published row records its stream entry id (outbox.stream_id), so that
// an erasure (libs/events/erasure.h) can delete the entry as well as the row;
// an erasure takes the same advisory lock, so no batch is half-recorded when
// it looks.
#ifndef AGORA_LIBS_EVENTS_RELAY_H_
#define AGORA_LIBS_EVENTS_RELAY_H_

#include <atomic>
#include <cstdint>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"

namespace agora::events {

struct RelayOptions {
  // The Redis stream, e.g. KeyBuilder("agora").SharedKey("events",
  // {"content"}).
  std::string stream;
  int batch_size = 200;  // events per transaction (1-10000)
  absl::Duration poll_interval =
      absl::Seconds(2);                   // fallback when no NOTIFY comes
  int64_t max_stream_length = 1'000'000;  // XADD MAXLEN ~ (approximate trim)
  // Then outbox rows go, and their stream entries with them (the stream
  // keeps no entry whose row is gone: an erasure finds entries by their
  // rows). A consumer further behind than this loses events.
  absl::Duration keep_published = absl::Hours(24 * 7);
};

class OutboxRelay {
 public:
  // `listen_conninfo` opens the relay's own LISTEN connection (with the
  // service's search_path); the pool serves the publishing transactions.
  OutboxRelay(const Outbox& outbox, std::string listen_conninfo,
              pg::ConnectionPool& pool, redis::RedisClient& redis,
              RelayOptions options);
  OutboxRelay(const OutboxRelay&) = delete;
  OutboxRelay& operator=(const OutboxRelay&) = delete;
  ~OutboxRelay();  // stops the thread

  // One pass: publishes up to batch_size unpublished events and marks them.
  // Returns how many; 0 when none are waiting or another relay holds the lock.
  absl::StatusOr<int> PublishBatch();

  // Deletes outbox rows published longer than keep_published ago and trims
  // the stream of their entries (XTRIM MINID), in one transaction: when
  // Redis fails, the rows stay for the next prune. Returns the rows deleted.
  absl::StatusOr<int64_t> PrunePublished();

  // Deletes the stream entries of events an erasure forgot (see
  // libs/events/forgotten_entries.h). The background thread runs it once per
  // poll interval.
  absl::StatusOr<int64_t> DeleteForgottenEntries();

  // Runs PublishBatch in a background thread until Stop().
  void Start();
  void Stop();

  int64_t published() const { return published_.load(); }

 private:
  void Loop();

  const std::string channel_;
  const std::string listen_conninfo_;
  pg::ConnectionPool& pool_;
  redis::RedisClient& redis_;
  const RelayOptions options_;
  std::atomic<int64_t> published_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_RELAY_H_
