#include "libs/pg/transaction.h"

#include <gtest/gtest.h>

#include <atomic>
#include <pqxx/pqxx>
#include <thread>
#include <vector>

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

}  // namespace
}  // namespace agora::pg
