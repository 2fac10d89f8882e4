// Outbox -> relay -> Redis stream -> consumer, on real PostgreSQL and Redis.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/events/consumer.h"
#include "libs/events/outbox.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/pg/transaction.h"
#include "libs/redis/keys.h"
#include "tests/harness/child_process.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"

namespace agora::events {
namespace {

using ::agora::testing::ChildProcess;
using ::agora::testing::TestDatabase;
using ::agora::testing::TestRedis;

pg::MigrationSet EffectsTable() {
  return {"effects_test",
          {{1, "0001_effects.sql",
            "CREATE TABLE effects (event_id uuid, payload bytea)"}}};
}

class EventPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestDatabase> db =
        TestDatabase::Create("producer", {OutboxMigrations(), EffectsTable()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 4});
    stream_ =
        redis::KeyBuilder(redis_ns_.prefix()).SharedKey("events", {"producer"});
  }

  // Writes `n` events in their own transactions, as a service would.
  std::vector<std::string> Produce(int n) {
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      EventRecord event{NewEventId(), "fr", "post_published",
                        absl::StrCat(std::string("payload-\0-", 10), i)};
      ids.push_back(event.event_id);
      absl::Status status =
          pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
            return outbox_.Append(tx, event);
          });
      EXPECT_TRUE(status.ok()) << status;
    }
    return ids;
  }

  int64_t Scalar(const std::string& sql) {
    pqxx::connection connection(db_->url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  int64_t StreamLength() {
    return redis_.Run({"XLEN", stream_})->AsInteger().value_or(-1);
  }

  // A consumer that claims failed entries again at once (after 1 ms idle).
  ConsumerOptions RetryingOptions(int max_attempts) {
    return {.stream = stream_,
            .group = "effects",
            .consumer = "c1",
            .block = absl::Milliseconds(20),
            .claim_idle = absl::Milliseconds(1),
            .max_attempts = max_attempts};
  }

  // Polls until the consumer sets an event aside (at most 10 s).
  static void PollUntilADeadLetter(EventConsumer& consumer) {
    ASSERT_TRUE(consumer.EnsureGroup().ok());
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (consumer.Stats().dead_letters == 0 && absl::Now() < deadline) {
      ASSERT_TRUE(consumer.PollOnce().ok());
      absl::SleepFor(absl::Milliseconds(5));
    }
  }

  OutboxRelay MakeRelay(absl::Duration poll) {
    return OutboxRelay(
        outbox_, db_->url(), *pool_, redis_,
        {.stream = stream_, .batch_size = 50, .poll_interval = poll});
  }

  TestRedis redis_ns_;
  redis::RedisClient redis_{redis_ns_.options()};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  Outbox outbox_{"producer"};
  std::string stream_;
};

TEST_F(EventPipelineTest, OutboxRowsExistOnlyIfTheTransactionCommits) {
  absl::Status rolled_back =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        absl::Status appended =
            outbox_.Append(tx, {NewEventId(), "fr", "vote_cast", "x"});
        if (!appended.ok()) return appended;
        return absl::InvalidArgumentError("the change itself failed");
      });
  EXPECT_FALSE(rolled_back.ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 0);
  Produce(1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 1);
  EXPECT_EQ(pg::RunTransaction(
                *pool_,
                [&](pqxx::transaction_base& tx) {
                  return outbox_.Append(tx, {"", "fr", "vote_cast", "x"});
                })
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(EventPipelineTest, RelayPublishesInOrderAndMarksRows) {
  std::vector<std::string> ids = Produce(120);
  OutboxRelay relay = MakeRelay(absl::Seconds(1));
  int total = 0;
  for (absl::StatusOr<int> n = relay.PublishBatch(); n.ok() && *n > 0;
       n = relay.PublishBatch()) {
    total += *n;
  }
  EXPECT_EQ(total, 120);
  EXPECT_EQ(StreamLength(), 120);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL"),
            0);
  absl::StatusOr<redis::Reply> first =
      redis_.Run({"XRANGE", stream_, "-", "+", "COUNT", "1"});
  ASSERT_TRUE(first.ok());
  const redis::Reply& fields = first->elements.at(0).elements.at(1);
  EXPECT_EQ(fields.elements.at(1).text, ids.front()) << "outbox order";
  EXPECT_EQ(fields.elements.at(7).text, std::string("payload-\0-0", 11))
      << "bytes intact";
}

TEST_F(EventPipelineTest, RelayIsWokenByNotifyLongBeforeItsPollInterval) {
  OutboxRelay relay = MakeRelay(absl::Seconds(60));
  relay.Start();
  absl::SleepFor(
      absl::Milliseconds(300));  // the relay is now waiting on LISTEN
  Produce(1);
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (StreamLength() < 1 && absl::Now() < deadline)
    absl::SleepFor(absl::Milliseconds(20));
  relay.Stop();
  EXPECT_EQ(StreamLength(), 1);
}

TEST_F(EventPipelineTest, TwoRelaysTogetherPublishEachEventOnce) {
  Produce(200);
  OutboxRelay a = MakeRelay(absl::Milliseconds(50));
  OutboxRelay b = MakeRelay(absl::Milliseconds(50));
  a.Start();
  b.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (Scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL") > 0 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  a.Stop();
  b.Stop();
  EXPECT_EQ(StreamLength(), 200);
  EXPECT_EQ(a.published() + b.published(), 200);
}

TEST_F(EventPipelineTest, RedeliveredEventIsAcknowledgedButNotAppliedTwice) {
  std::vector<std::string> ids = Produce(3);
  OutboxRelay relay = MakeRelay(absl::Seconds(1));
  ASSERT_EQ(*relay.PublishBatch(), 3);
  // The relay crashed after XADD, before its commit: the batch goes out again.
  ASSERT_TRUE(pg::RunTransaction(*pool_, [](pqxx::transaction_base& tx) {
                tx.exec("UPDATE outbox SET published_at = NULL");
                return absl::OkStatus();
              }).ok());
  ASSERT_EQ(*relay.PublishBatch(), 3);
  ASSERT_EQ(StreamLength(), 6);

  EventConsumer consumer(
      *pool_, redis_,
      {.stream = stream_,
       .group = "effects",
       .consumer = "c1",
       .block = absl::Milliseconds(50)},
      [](pqxx::transaction_base& tx, const EventRecord& event) {
        tx.exec_params("INSERT INTO effects (event_id) VALUES ($1)",
                       event.event_id);
        return absl::OkStatus();
      });
  ASSERT_TRUE(consumer.EnsureGroup().ok());
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(consumer.PollOnce().ok());
  EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), 3);
  EXPECT_EQ(consumer.Stats().applied, 3);
  EXPECT_EQ(consumer.Stats().duplicates, 3);
  absl::StatusOr<redis::Reply> pending =
      redis_.Run({"XPENDING", stream_, "effects"});
  EXPECT_EQ(pending->elements.at(0).AsInteger(), 0)
      << "everything acknowledged";
}

TEST_F(EventPipelineTest, FailingHandlerRollsBackThenEventBecomesDeadLetter) {
  Produce(1);
  OutboxRelay relay = MakeRelay(absl::Seconds(1));
  ASSERT_EQ(*relay.PublishBatch(), 1);
  int calls = 0;
  EventConsumer consumer(
      *pool_, redis_, RetryingOptions(/*max_attempts=*/3),
      [&](pqxx::transaction_base& tx, const EventRecord& event) {
        ++calls;
        tx.exec_params("INSERT INTO effects (event_id) VALUES ($1)",
                       event.event_id);
        return absl::InternalError("cannot apply");
      });
  PollUntilADeadLetter(consumer);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), 0)
      << "failed effects rolled back";
  EXPECT_EQ(Scalar("SELECT count(*) FROM processed_events WHERE outcome = "
                   "'dead_letter'"),
            1);
  EXPECT_EQ(Scalar("SELECT attempts FROM event_failures"), 3);
}

TEST_F(EventPipelineTest, OneFailingEventInABatchHoldsBackOnlyItself) {
  std::vector<std::string> ids = Produce(6);
  OutboxRelay relay = MakeRelay(absl::Seconds(1));
  ASSERT_EQ(*relay.PublishBatch(), 6);
  const std::string poison = ids[3];
  int poison_calls = 0;
  EventConsumer consumer(
      *pool_, redis_, RetryingOptions(/*max_attempts=*/2),
      [&](pqxx::transaction_base& tx, const EventRecord& event) {
        tx.exec_params("INSERT INTO effects (event_id) VALUES ($1)",
                       event.event_id);
        if (event.event_id != poison) return absl::OkStatus();
        ++poison_calls;
        return absl::InternalError("cannot apply");
      });
  PollUntilADeadLetter(consumer);
  EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), 5)
      << "the five others applied, the poison's effect rolled back";
  EXPECT_EQ(Scalar("SELECT count(DISTINCT event_id) FROM effects"), 5)
      << "the batch's rollback applied nothing twice";
  EXPECT_EQ(consumer.Stats().applied, 5);
  EXPECT_EQ(Scalar("SELECT count(*) FROM processed_events WHERE outcome = "
                   "'dead_letter'"),
            1);
  EXPECT_GE(poison_calls, 2) << "retried alone until its attempts ran out";
  absl::StatusOr<redis::Reply> pending =
      redis_.Run({"XPENDING", stream_, "effects"});
  EXPECT_EQ(pending->elements.at(0).AsInteger(), 0);
}

// The consumer helper in a process of its own.
ChildProcess SpawnConsumer(const std::string& url,
                           const std::string& redis_address,
                           const std::string& stream, const std::string& name) {
  absl::StatusOr<ChildProcess> process = ChildProcess::Start(
      {AGORA_CONSUMER_PROCESS, url, redis_address, stream, name, "1000", "15"});
  EXPECT_TRUE(process.ok()) << process.status();
  return *std::move(process);
}

TEST_F(EventPipelineTest, EveryEventAppliedOnceWhenConsumerIsKilledMidBatch) {
  constexpr int kEvents = 150;
  std::vector<std::string> ids = Produce(kEvents);
  OutboxRelay relay = MakeRelay(absl::Milliseconds(100));
  relay.Start();
  const std::string address =
      absl::StrCat(redis_ns_.options().host, ":", redis_ns_.options().port);

  ChildProcess first =
      SpawnConsumer(db_->url(), address, stream_, "consumer-a");
  // Let it apply part of the stream, then kill it without warning in the
  // middle of a batch. It reads 20 entries at a time and applies a read in
  // one transaction, 15 ms per entry, so a batch is open ~300 ms and
  // commits all at once: the kill lands 100 ms after a commit was seen.
  absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (Scalar("SELECT count(*) FROM effects") < 40 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  absl::SleepFor(absl::Milliseconds(100));
  first.Kill();
  const int64_t applied_before_kill = Scalar("SELECT count(*) FROM effects");
  EXPECT_GE(applied_before_kill, 40);
  EXPECT_LT(applied_before_kill, kEvents) << "killed mid-stream";
  absl::StatusOr<redis::Reply> pending =
      redis_.Run({"XPENDING", stream_, "effects"});
  EXPECT_GT(pending->elements.at(0).AsInteger().value_or(0), 0)
      << "the dead consumer left entries pending";

  // A new consumer takes over the dead one's pending entries and the rest.
  ChildProcess second =
      SpawnConsumer(db_->url(), address, stream_, "consumer-b");
  deadline = absl::Now() + absl::Seconds(60);
  while (Scalar("SELECT count(*) FROM processed_events") < kEvents &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  absl::SleepFor(absl::Milliseconds(300));
  second.Kill();
  relay.Stop();

  EXPECT_EQ(Scalar("SELECT count(*) FROM effects"), kEvents);
  EXPECT_EQ(Scalar("SELECT count(DISTINCT event_id) FROM effects"), kEvents)
      << "no event applied twice";
  std::set<std::string> applied;
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  for (const pqxx::row& row : tx.exec("SELECT event_id::text FROM effects")) {
    applied.insert(row[0].as<std::string>());
  }
  EXPECT_EQ(applied, std::set<std::string>(ids.begin(), ids.end()))
      << "none lost";
}

}  // namespace
}  // namespace agora::events
