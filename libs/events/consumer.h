// The consumer side: reads a producer's stream in a consumer group (one group
// per consuming service; replicas share the work), applies each event once by
// recording its id in the same transaction as its effect, and acknowledges it
// after that transaction commits. The entries of one read are applied in one
// transaction (one commit and one XACK for up to `batch_size` events); if any
// of them fails, none is, and they are applied one by one instead so that
// only the failing one is retried. Entries left pending by a consumer that died
// are claimed by the others once idle for `claim_idle`; a restarted consumer
// first re-reads its own pending entries. An event whose handler keeps failing
// is set aside as a dead letter after `max_attempts`, so it cannot block the
// stream forever.
#ifndef AGORA_LIBS_EVENTS_CONSUMER_H_
#define AGORA_LIBS_EVENTS_CONSUMER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <pqxx/transaction_base>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/events/event_record.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"

namespace agora::events {

struct ConsumerOptions {
  std::string stream;    // the producer's stream key
  std::string group;     // the consuming service, e.g. "ranking"
  std::string consumer;  // unique per replica; default: host name and pid
  int batch_size = 50;   // entries read at once (1-1000)
  absl::Duration block =
      absl::Milliseconds(500);  // < the Redis command timeout
  absl::Duration claim_idle =
      absl::Seconds(30);  // then another consumer takes over
  int max_attempts = 5;  // failed applications before an event is a dead letter
};

// Applies one event inside `tx`, which may hold other events of the same
// read before and after it. OK keeps the effect and the event's id for the
// commit; an error rolls the transaction back and the event is retried.
using EventHandler = std::function<absl::Status(pqxx::transaction_base& tx,
                                                const EventRecord& event)>;

struct ConsumerStats {
  int64_t applied = 0;     // handler committed
  int64_t duplicates = 0;  // already applied: acknowledged only
  int64_t failures = 0;    // handler or database errors
  int64_t dead_letters = 0;
  int64_t claimed = 0;  // taken over from idle consumers
};

class EventConsumer {
 public:
  EventConsumer(pg::ConnectionPool& pool, redis::RedisClient& redis,
                ConsumerOptions options, EventHandler handler);
  EventConsumer(const EventConsumer&) = delete;
  EventConsumer& operator=(const EventConsumer&) = delete;
  ~EventConsumer();  // stops the thread

  // Creates the consumer group (from the start of the stream) if missing.
  absl::Status EnsureGroup();

  // One round: own pending entries (until none are left), entries claimed
  // from idle consumers, then new entries (waiting up to `block`). Returns
  // how many entries were handled.
  absl::StatusOr<int> PollOnce();

  // Runs PollOnce in a background thread until Stop().
  void Start();
  void Stop();

  ConsumerStats Stats() const;
  const std::string& name() const { return options_.consumer; }

 private:
  struct Entry {
    std::string id;
    EventRecord record;
  };

  absl::StatusOr<int> Handle(const redis::Reply& entries);
  // Applies the batch in one transaction (one commit, one XACK); false if
  // any of it failed, and then nothing of it was applied.
  bool ApplyTogether(const std::vector<Entry>& batch);
  void HandleEntry(const Entry& entry);
  void RecordFailure(const Entry& entry, const absl::Status& error);
  void Ack(const std::vector<std::string>& ids);
  void Loop();

  pg::ConnectionPool& pool_;
  redis::RedisClient& redis_;
  ConsumerOptions options_;
  EventHandler handler_;
  bool own_pending_done_ = false;
  std::string claim_cursor_ = "0-0";
  absl::Time next_claim_ = absl::InfinitePast();
  std::atomic<int64_t> applied_ = 0, duplicates_ = 0, failures_ = 0,
                       dead_letters_ = 0, claimed_ = 0;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_CONSUMER_H_
