#include "libs/pg/pool.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <thread>

#include "absl/time/clock.h"
#include "libs/pg/transaction.h"
#include "tests/harness/local_servers.h"
#include "tests/harness/test_database.h"

namespace agora::pg {
namespace {

using ::agora::testing::LocalServer;
using ::agora::testing::TestDatabase;

TEST(ConnectionPoolTest, LeasesAreReusedAndCounted) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  ConnectionPool pool({.conninfo = db->url(), .max_size = 2});
  {
    absl::StatusOr<Lease> lease = pool.Acquire();
    ASSERT_TRUE(lease.ok()) << lease.status();
    pqxx::nontransaction tx(**lease);
    EXPECT_EQ(tx.exec1("SELECT 41 + 1")[0].as<int>(), 42);
    EXPECT_EQ(pool.Stats().leased, 1);
  }
  EXPECT_EQ(pool.Stats().open, 1);
  EXPECT_EQ(pool.Stats().idle, 1);
  absl::StatusOr<Lease> again = pool.Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(pool.Stats().open, 1) << "the idle connection is reused";
}

TEST(ConnectionPoolTest, ExhaustedPoolTimesOutThenRecoversWhenALeaseReturns) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  ConnectionPool pool({.conninfo = db->url(),
                       .max_size = 2,
                       .acquire_timeout = absl::Milliseconds(200)});
  auto first = std::make_unique<absl::StatusOr<Lease>>(pool.Acquire());
  absl::StatusOr<Lease> second = pool.Acquire();
  ASSERT_TRUE(first->ok() && second.ok());

  const absl::Time start = absl::Now();
  absl::StatusOr<Lease> third = pool.Acquire();
  EXPECT_EQ(third.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_GE(absl::Now() - start, absl::Milliseconds(150));
  EXPECT_EQ(pool.Stats().timeouts, 1);
  EXPECT_EQ(pool.Stats().open, 2) << "never more than max_size";

  // A waiter is woken by a returning lease.
  std::thread releaser([&] {
    absl::SleepFor(absl::Milliseconds(50));
    first.reset();
  });
  absl::StatusOr<Lease> fourth = pool.Acquire();
  releaser.join();
  EXPECT_TRUE(fourth.ok()) << fourth.status();
}

TEST(ConnectionPoolTest, RecoversAfterPostgresRestart) {
  LocalServer server(LocalServer::Kind::kPostgres);
  ASSERT_TRUE(server.Start().ok());
  ConnectionPool pool({.conninfo = server.postgres_url(),
                       .max_size = 4,
                       .acquire_timeout = absl::Milliseconds(500)});
  ASSERT_TRUE(pool.Ping().ok());
  ASSERT_TRUE(RunTransaction(pool, [](pqxx::transaction_base& tx) {
                tx.exec("CREATE TABLE visits (n int)");
                return absl::OkStatus();
              }).ok());

  ASSERT_TRUE(server.Stop().ok());
  EXPECT_EQ(pool.Ping().code(), absl::StatusCode::kUnavailable)
      << "a stopped server is reported as unavailable";

  ASSERT_TRUE(server.Start().ok());
  // The pooled connections died with the server; the pool replaces them.
  absl::Status ping = pool.Ping();
  if (!ping.ok()) ping = pool.Ping();  // at most one stale connection left
  EXPECT_TRUE(ping.ok()) << ping;
  absl::Status write = RunTransaction(pool, [](pqxx::transaction_base& tx) {
    tx.exec("INSERT INTO visits VALUES (1)");
    return absl::OkStatus();
  });
  EXPECT_TRUE(write.ok()) << write;
  EXPECT_GE(pool.Stats().dropped, 1);
}

}  // namespace
}  // namespace agora::pg
