#include "libs/pg/transaction.h"

#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

#include "libs/pg/prepared.h"
#include "libs/pg/prepared.h"
#include "tests/harness/test_database.h"

namespace agora::pg {
namespace {

using ::agora::testing::TestDatabase;

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<TestDatabase> db = TestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<TestDatabase>(*std::move(db));
    pool_ = std::make_unique<ConnectionPool>(
        PoolOptions{.conninfo = db_->url(), .max_size = 8});
    ASSERT_TRUE(RunTransaction(*pool_, [](pqxx::transaction_base& tx) {
                  tx.exec("CREATE TABLE counter (id int PRIMARY KEY, n int)");
                  tx.exec("INSERT INTO counter VALUES (1, 0)");
                  return absl::OkStatus();
                }).ok());
  }

  int Count() {
    int n = -1;
    EXPECT_TRUE(
        RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          n = tx.exec1("SELECT n FROM counter WHERE id = 1")[0].as<int>();
          return absl::OkStatus();
        }).ok());
    return n;
  }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<ConnectionPool> pool_;
};

TEST_F(TransactionTest, BodyErrorRollsBackAndIsReturnedAsIs) {
  absl::Status status = RunTransaction(*pool_, [](pqxx::transaction_base& tx) {
    tx.exec("UPDATE counter SET n = n + 1");
    return absl::InvalidArgumentError("title: at most 200 characters");
  });
  EXPECT_EQ(status,
            absl::InvalidArgumentError("title: at most 200 characters"));
  EXPECT_EQ(Count(), 0);
}

TEST_F(TransactionTest,
       SerializationFailuresAreRetriedUntilEveryIncrementLands) {
  // Read-modify-write at SERIALIZABLE from several threads: PostgreSQL aborts
  // the losers with serialization_failure; RunTransaction runs them again.
  constexpr int kThreads = 6;
  constexpr int kIncrements = 10;
  std::atomic<int> attempts = 0;
  std::vector<std::thread> threads;
  std::atomic<int> failures = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        absl::Status status = RunTransaction(
            *pool_,
            [&](pqxx::transaction_base& tx) {
              ++attempts;
              const int n =
                  tx.exec1("SELECT n FROM counter WHERE id = 1")[0].as<int>();
              tx.exec_params("UPDATE counter SET n = $1 WHERE id = 1", n + 1);
              return absl::OkStatus();
            },
            {.isolation = Isolation::kSerializable, .max_attempts = 20});
        if (!status.ok()) ++failures;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(Count(), kThreads * kIncrements) << "no lost update";
  EXPECT_GT(attempts, kThreads * kIncrements) << "some attempts were retried";
}

TEST_F(TransactionTest, ConstraintViolationIsNotRetried) {
  int attempts = 0;
  absl::Status status = RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
    ++attempts;
    tx.exec("INSERT INTO counter VALUES (1, 5)");
    return absl::OkStatus();
  });
  EXPECT_EQ(status.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(attempts, 1);
}

TEST_F(TransactionTest, WithoutATransactionBlockEachStatementCommitsAlone) {
  // Isolation::kNone is for single-statement reads: there is nothing to roll
  // back, so a body that fails after a write leaves the write in place.
  absl::Status status =
      RunTransaction(*pool_,
                     [](pqxx::transaction_base& tx) {
                       tx.exec("UPDATE counter SET n = n + 1");
                       return absl::InvalidArgumentError("after the write");
                     },
                     {.isolation = Isolation::kNone});
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Count(), 1);
}

TEST_F(TransactionTest, PreparedStatementsAreReusedPerConnection) {
  // The same text runs as the same prepared statement, many times and on
  // every pooled connection; another text gets its own.
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  ExecPrepared(tx, "UPDATE counter SET n = n + $1 WHERE id = 1",
                               2);
                  return absl::OkStatus();
                }).ok());
  }
  EXPECT_EQ(Count(), 40);
  int prepared = 0;
  ASSERT_TRUE(
      RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        EXPECT_EQ(
            ExecPrepared(tx, "SELECT n FROM counter WHERE id = $1", 1)[0][0]
                .as<int>(),
            40);
        prepared = tx.exec1("SELECT count(*) FROM pg_prepared_statements")[0]
                       .as<int>();
        return absl::OkStatus();
      }).ok());
  EXPECT_GE(prepared, 1);
  EXPECT_NE(PreparedName("SELECT 1"), PreparedName("SELECT 2"));
}

}  // namespace
}  // namespace agora::pg
