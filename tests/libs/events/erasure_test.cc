// Forgetting events (libs/events/erasure.h) and what it rests on: the relay
// recording each row's stream entry, the notes of entries still to delete,
// the prune trimming the stream with the rows, and consumers meeting entries
// deleted under them. On real PostgreSQL and Redis.
#include "libs/events/erasure.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/events/consumer.h"
#include "libs/events/forgotten_entries.h"
#include "libs/events/outbox.h"
#include "libs/events/relay.h"
#include "libs/events/schema.h"
#include "libs/events/typed_event.h"
#include "libs/pg/transaction.h"
#include "libs/redis/keys.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_redis.h"

namespace agora::events {
namespace {

using ::agora::testing::TestDatabase;
using ::agora::testing::TestRedis;

constexpr char kAlice[] = "tenants/fr/members/alice";
constexpr char kBob[] = "tenants/fr/members/bob";

// An identity event whose payload names `member` (subject left elsewhere,
// so that a match by payload is told apart from one by subject).
v1::Event ProfileUpdated(const std::string& tenant, const std::string& member,
                         const std::string& display_name) {
  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  v1::Event event = NewEvent(v1::PRODUCER_IDENTITY, tenant, system,
                             "tenants/fr/unrelated", absl::Now());
  event.mutable_profile_updated()->set_member(member);
  event.mutable_profile_updated()->set_display_name(display_name);
  return event;
}

v1::Event MemberErased(const std::string& member) {
  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  v1::Event event =
      NewEvent(v1::PRODUCER_IDENTITY, "fr", system, member, absl::Now());
  event.mutable_member_erased()->set_member(member);
  return event;
}

EventSelector About(const std::string& member) {
  return {.tenant = "tenants/fr",
          .payload_contains = member,
          .matches = [member](const v1::Event& event) {
            return event.subject() == member ||
                   (event.has_profile_updated() &&
                    event.profile_updated().member() == member) ||
                   (event.has_member_erased() &&
                    event.member_erased().member() == member);
          }};
}

class EventErasureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestDatabase> db =
        TestDatabase::Create("producer", {OutboxMigrations()});
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<TestDatabase>(*std::move(db));
    pool_ = std::make_unique<pg::ConnectionPool>(
        pg::PoolOptions{.conninfo = db_->url(), .max_size = 4});
    stream_ =
        redis::KeyBuilder(redis_ns_.prefix()).SharedKey("events", {"producer"});
  }

  // Appends the event in a transaction of its own; its id.
  std::string Append(const v1::Event& event) {
    absl::StatusOr<EventRecord> record = ToRecord(event);
    EXPECT_TRUE(record.ok()) << record.status();
    EXPECT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  return outbox_.Append(tx, *record);
                }).ok());
    return event.id();
  }

  void PublishAll(OutboxRelay& relay) {
    for (absl::StatusOr<int> n = relay.PublishBatch(); n.ok() && *n > 0;
         n = relay.PublishBatch()) {
    }
    ASSERT_EQ(Scalar("SELECT count(*) FROM outbox WHERE published_at IS NULL"),
              0);
  }

  absl::StatusOr<ForgottenEvents> Forget(const EventSelector& selector) {
    ForgottenEvents result;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          absl::StatusOr<ForgottenEvents> forgotten =
              ForgetEvents(tx, outbox_, selector);
          if (!forgotten.ok()) return forgotten.status();
          result = *forgotten;
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    return result;
  }

  int64_t Scalar(const std::string& sql) {
    pqxx::connection connection(db_->url());
    pqxx::nontransaction tx(connection);
    return tx.exec1(sql)[0].as<int64_t>();
  }

  std::set<std::string> Column(const std::string& sql) {
    pqxx::connection connection(db_->url());
    pqxx::nontransaction tx(connection);
    std::set<std::string> values;
    for (const pqxx::row& row : tx.exec(sql)) {
      values.insert(row[0].is_null() ? "NULL" : row[0].as<std::string>());
    }
    return values;
  }

  // Stream entry id -> event id, of every entry in the stream.
  std::map<std::string, std::string> StreamEntries() {
    std::map<std::string, std::string> entries;
    absl::StatusOr<redis::Reply> range =
        redis_.Run({"XRANGE", stream_, "-", "+"});
    EXPECT_TRUE(range.ok()) << range.status();
    if (!range.ok()) return entries;
    for (const redis::Reply& entry : range->elements) {
      const std::vector<redis::Reply>& fields = entry.elements.at(1).elements;
      for (size_t i = 0; i + 1 < fields.size(); i += 2) {
        if (fields[i].text == "event_id") {
          entries[entry.elements.at(0).text] = fields[i + 1].text;
        }
      }
    }
    return entries;
  }

  std::set<std::string> StreamEventIds() {
    std::set<std::string> ids;
    for (const auto& [entry, event_id] : StreamEntries()) ids.insert(event_id);
    return ids;
  }

  OutboxRelay MakeRelay(redis::RedisClient& redis) {
    return OutboxRelay(outbox_, db_->url(), *pool_, redis,
                       {.stream = stream_, .batch_size = 50});
  }

  // A client of a port nobody listens on: every command is UNAVAILABLE.
  static redis::RedisOptions NoRedis() {
    redis::RedisOptions options;
    options.port = testing::FreePort();
    options.connect_timeout = absl::Milliseconds(100);
    return options;
  }

  TestRedis redis_ns_;
  redis::RedisClient redis_{redis_ns_.options()};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<pg::ConnectionPool> pool_;
  Outbox outbox_{"producer"};
  std::string stream_;
};

TEST_F(EventErasureTest, RelayRecordsTheStreamEntryOfEachRow) {
  std::set<std::string> ids;
  for (int i = 0; i < 120; ++i) {  // three batches of the relay
    ids.insert(Append(ProfileUpdated("fr", kBob, absl::StrCat("Bob ", i))));
  }
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  std::map<std::string, std::string> recorded;
  pqxx::connection connection(db_->url());
  pqxx::nontransaction tx(connection);
  for (const pqxx::row& row :
       tx.exec("SELECT stream_id, event_id::text FROM outbox")) {
    ASSERT_FALSE(row[0].is_null());
    recorded[row[0].as<std::string>()] = row[1].as<std::string>();
  }
  EXPECT_EQ(recorded, StreamEntries()) << "each row names its own entry";
  EXPECT_EQ(StreamEventIds(), ids);
}

TEST_F(EventErasureTest, ForgetsPublishedAndUnpublishedEventsOfTheTenant) {
  const std::string published =
      Append(ProfileUpdated("fr", kAlice, "Alice Display"));
  const std::string by_subject = Append([] {
    v1::Event event = ProfileUpdated("fr", kBob, "no one");
    event.set_subject(kAlice);
    return event;
  }());
  const std::string bobs = Append(ProfileUpdated("fr", kBob, "Bob Display"));
  // The same resource name in another tenant's event is another tenant's.
  const std::string italian = Append(ProfileUpdated("it", kAlice, "Alice IT"));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  const std::string unpublished =
      Append(ProfileUpdated("fr", kAlice, "Alice Renamed"));
  // A consumer of this schema failed to apply Alice's and Bob's events.
  for (const v1::Event& failed :
       {ProfileUpdated("fr", kAlice, "Alice Failed"),
        ProfileUpdated("fr", kBob, "Bob Failed"),
        ProfileUpdated("it", kAlice, "Alice IT Failed")}) {
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  tx.exec_params(
                      "INSERT INTO event_failures (consumer, event_id,"
                      " attempts, last_error, event_type, payload)"
                      " VALUES ('mailer', $1, 5, 'down', 'profile_updated',"
                      " $2)",
                      failed.id(),
                      pqxx::binarystring(failed.SerializeAsString()));
                  return absl::OkStatus();
                }).ok());
  }
  const std::set<std::string> entries_before =
      Column("SELECT stream_id FROM outbox WHERE event_id IN ('" + published +
             "','" + by_subject + "')");

  absl::StatusOr<ForgottenEvents> forgotten = Forget(About(kAlice));
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(forgotten->events, 3);
  EXPECT_EQ(forgotten->stream_entries, 2);
  EXPECT_EQ(forgotten->unreadable, 0);
  EXPECT_EQ(forgotten->failures, 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM event_failures"), 2);
  EXPECT_EQ(Column("SELECT event_id::text FROM outbox"),
            (std::set<std::string>{bobs, italian}));
  EXPECT_EQ(Column("SELECT stream_id FROM forgotten_stream_entries"),
            entries_before)
      << "the published ones are noted for the stream";
  EXPECT_EQ(StreamEventIds().count(published), 1u)
      << "the stream is left to after the commit";

  absl::StatusOr<int64_t> deleted =
      DeleteForgottenStreamEntries(*pool_, redis_, stream_);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 2);
  EXPECT_EQ(StreamEventIds(), (std::set<std::string>{bobs, italian}));
  EXPECT_EQ(Scalar("SELECT count(*) FROM forgotten_stream_entries"), 0);
  // The unpublished one never reaches the stream.
  EXPECT_EQ(*relay.PublishBatch(), 0);
  EXPECT_EQ(StreamEventIds().count(unpublished), 0u);
}

TEST_F(EventErasureTest, MemberErasedIsNeverForgotten) {
  Append(ProfileUpdated("fr", kAlice, "Alice Display"));
  const std::string erased = Append(MemberErased(kAlice));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  absl::StatusOr<ForgottenEvents> forgotten = Forget(About(kAlice));
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(forgotten->events, 1);
  ASSERT_TRUE(DeleteForgottenStreamEntries(*pool_, redis_, stream_).ok());
  EXPECT_EQ(Column("SELECT event_id::text FROM outbox"),
            std::set<std::string>{erased});
  EXPECT_EQ(StreamEventIds(), std::set<std::string>{erased});
}

TEST_F(EventErasureTest, RolledBackErasureTakesNothingBack) {
  const std::string event = Append(ProfileUpdated("fr", kAlice, "Alice"));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  absl::Status rolled_back =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<ForgottenEvents> forgotten =
            ForgetEvents(tx, outbox_, About(kAlice));
        EXPECT_TRUE(forgotten.ok()) << forgotten.status();
        return absl::AbortedError("the erasure itself failed");
      });
  EXPECT_EQ(rolled_back.code(), absl::StatusCode::kAborted);
  ASSERT_TRUE(DeleteForgottenStreamEntries(*pool_, redis_, stream_).ok());
  EXPECT_EQ(Column("SELECT event_id::text FROM outbox"),
            std::set<std::string>{event});
  EXPECT_EQ(StreamEventIds(), std::set<std::string>{event});
}

TEST_F(EventErasureTest, EntriesNotedWhileRedisIsDownGoWithTheRelay) {
  const std::string alices = Append(ProfileUpdated("fr", kAlice, "Alice"));
  const std::string bobs = Append(ProfileUpdated("fr", kBob, "Bob"));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  ASSERT_TRUE(Forget(About(kAlice)).ok());

  redis::RedisClient down(NoRedis());
  absl::StatusOr<int64_t> failed =
      DeleteForgottenStreamEntries(*pool_, down, stream_);
  EXPECT_EQ(failed.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Scalar("SELECT count(*) FROM forgotten_stream_entries"), 1)
      << "the note stays for later";
  EXPECT_EQ(StreamEventIds(), (std::set<std::string>{alices, bobs}));

  absl::StatusOr<int64_t> deleted = relay.DeleteForgottenEntries();
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(*deleted, 1);
  EXPECT_EQ(StreamEventIds(), std::set<std::string>{bobs});
  EXPECT_EQ(Scalar("SELECT count(*) FROM forgotten_stream_entries"), 0);
}

TEST_F(EventErasureTest, TheRelayThreadDeletesNotedEntries) {
  const std::string alices = Append(ProfileUpdated("fr", kAlice, "Alice"));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  ASSERT_TRUE(Forget(About(kAlice)).ok());
  OutboxRelay running(outbox_, db_->url(), *pool_, redis_,
                      {.stream = stream_, .poll_interval = absl::Seconds(1)});
  running.Start();
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (Scalar("SELECT count(*) FROM forgotten_stream_entries") > 0 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(50));
  }
  running.Stop();
  EXPECT_EQ(Scalar("SELECT count(*) FROM forgotten_stream_entries"), 0);
  EXPECT_TRUE(StreamEventIds().empty());
}

// A relay that has sent a batch to Redis but not yet marked it: the erasure
// must wait and then see the rows as published, with their entries.
TEST_F(EventErasureTest, ErasureWaitsForARelayInTheMiddleOfABatch) {
  const std::string event = Append(ProfileUpdated("fr", kAlice, "Alice"));
  pqxx::connection relay_connection(db_->url());
  pqxx::work relay_tx(relay_connection);
  ASSERT_TRUE(
      relay_tx
          .exec_params1("SELECT pg_try_advisory_xact_lock(hashtext($1))",
                        outbox_.channel())[0]
          .as<bool>());
  absl::StatusOr<redis::Reply> added = redis_.Run(
      {"XADD", stream_, "*", "event_id", event, "type", "profile_updated"});
  ASSERT_TRUE(added.ok()) << added.status();

  absl::StatusOr<ForgottenEvents> forgotten;
  std::thread erasure([&] { forgotten = Forget(About(kAlice)); });
  // Until the erasure is waiting for the relay's lock.
  const absl::Time deadline = absl::Now() + absl::Seconds(20);
  while (Scalar("SELECT count(*) FROM pg_stat_activity WHERE datname ="
                " current_database() AND wait_event_type = 'Lock'"
                " AND wait_event = 'advisory'") == 0 &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  relay_tx.exec_params("UPDATE outbox SET published_at = now(), stream_id = $1",
                       added->text);
  relay_tx.commit();
  erasure.join();

  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(forgotten->events, 1);
  EXPECT_EQ(forgotten->stream_entries, 1) << "seen as published";
  ASSERT_TRUE(DeleteForgottenStreamEntries(*pool_, redis_, stream_).ok());
  EXPECT_TRUE(StreamEventIds().empty());
}

TEST_F(EventErasureTest, UnreadablePayloadsAreKeptAndCounted) {
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                return outbox_.Append(
                    tx, {NewEventId(), "tenants/fr", "profile_updated",
                         std::string("\xff\xff garbage ") + kAlice});
              }).ok());
  absl::StatusOr<ForgottenEvents> forgotten = Forget(About(kAlice));
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(forgotten->events, 0);
  EXPECT_EQ(forgotten->unreadable, 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 1);
}

TEST_F(EventErasureTest, IncompleteSelectorsAreRefusedNamingTheField) {
  EventSelector no_tenant = About(kAlice);
  no_tenant.tenant.clear();
  EXPECT_EQ(Forget(no_tenant).status(),
            absl::InvalidArgumentError("selector.tenant: required"));
  EventSelector no_predicate = About(kAlice);
  no_predicate.matches = nullptr;
  EXPECT_EQ(Forget(no_predicate).status(),
            absl::InvalidArgumentError("selector.matches: required"));
}

TEST_F(EventErasureTest, PruneTrimsTheStreamWithTheRows) {
  std::vector<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    ids.push_back(Append(ProfileUpdated("fr", kBob, absl::StrCat(i))));
  }
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  // The first six were published more than a week ago.
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                tx.exec(
                    "UPDATE outbox SET published_at = now() - interval '8 days'"
                    " WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 6)");
                return absl::OkStatus();
              }).ok());

  // Redis down: the rows stay, for the next prune to trim their entries.
  redis::RedisClient down(NoRedis());
  OutboxRelay cut_off = MakeRelay(down);
  EXPECT_EQ(cut_off.PrunePublished().status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Scalar("SELECT count(*) FROM outbox"), 10);

  absl::StatusOr<int64_t> pruned = relay.PrunePublished();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 6);
  EXPECT_EQ(StreamEventIds(), std::set<std::string>(ids.begin() + 6, ids.end()))
      << "no entry outlives its row, none newer goes";
}

TEST_F(EventErasureTest, PruneOfRowsWithoutEntryIdsTrimsByTimeOnly) {
  // Rows published before entry ids were recorded: the trim goes by their
  // publication time and leaves the newer entries alone.
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    ids.push_back(Append(ProfileUpdated("fr", kBob, absl::StrCat(i))));
  }
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                tx.exec(
                    "UPDATE outbox SET stream_id = NULL, published_at = now()"
                    " - interval '8 days' WHERE id IN (SELECT id FROM outbox"
                    " ORDER BY id LIMIT 2)");
                return absl::OkStatus();
              }).ok());
  absl::StatusOr<int64_t> pruned = relay.PrunePublished();
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(StreamEventIds(), std::set<std::string>(ids.begin(), ids.end()));
}

TEST_F(EventErasureTest, ConsumerAcknowledgesPendingEntriesDeletedUnderIt) {
  const std::string alices = Append(ProfileUpdated("fr", kAlice, "Alice"));
  OutboxRelay relay = MakeRelay(redis_);
  PublishAll(relay);
  int calls = 0;
  auto failing = [&](pqxx::transaction_base&, const EventRecord&) {
    ++calls;
    return absl::UnavailableError("not now");
  };
  const ConsumerOptions options{.stream = stream_,
                                .group = "mailer",
                                .consumer = "c1",
                                .block = absl::Milliseconds(20)};
  {
    EventConsumer consumer(*pool_, redis_, options, failing);
    ASSERT_TRUE(consumer.EnsureGroup().ok());
    ASSERT_TRUE(consumer.PollOnce().ok());
  }
  ASSERT_EQ(calls, 1);  // delivered, failed, left pending
  // The failure keeps the payload: it is forgotten with the event.
  ASSERT_EQ(Scalar("SELECT count(*) FROM event_failures"), 1);
  absl::StatusOr<ForgottenEvents> forgotten = Forget(About(kAlice));
  ASSERT_TRUE(forgotten.ok()) << forgotten.status();
  EXPECT_EQ(forgotten->failures, 1);
  EXPECT_EQ(Scalar("SELECT count(*) FROM event_failures"), 0);
  ASSERT_TRUE(DeleteForgottenStreamEntries(*pool_, redis_, stream_).ok());

  // The restarted consumer re-reads its pending entries first.
  EventConsumer restarted(*pool_, redis_, options, failing);
  ASSERT_TRUE(restarted.PollOnce().ok());
  EXPECT_EQ(calls, 1) << "nothing left to apply";
  absl::StatusOr<redis::Reply> pending =
      redis_.Run({"XPENDING", stream_, "mailer"});
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->elements.at(0).AsInteger(), 0);
  EXPECT_EQ(restarted.Stats().failures, 0);
}

}  // namespace
}  // namespace agora::events
