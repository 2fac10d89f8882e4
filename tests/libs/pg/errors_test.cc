#include "libs/pg/errors.h"

#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "tests/harness/test_database.h"

namespace agora::pg {
namespace {

using ::agora::testing::TestDatabase;

// Runs `sql` on a fresh table set and returns the status its exception maps to.
absl::Status StatusOf(const std::string& url, const std::string& sql) {
  try {
    pqxx::connection connection(url);
    pqxx::work tx(connection);
    tx.exec(sql);
    tx.commit();
    return absl::OkStatus();
  } catch (const std::exception& error) {
    return StatusFromException(error);
  }
}

TEST(ErrorsTest, ServerErrorsMapToPreciseCodes) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(
      StatusOf(db->url(),
               "CREATE TABLE parent (id int PRIMARY KEY, email text UNIQUE,"
               " n int CHECK (n > 0));"
               "CREATE TABLE child (p int REFERENCES parent(id));"
               "INSERT INTO parent VALUES (1, 'a@example.org', 1)")
          .ok());

  absl::Status duplicate =
      StatusOf(db->url(), "INSERT INTO parent VALUES (2, 'a@example.org', 1)");
  EXPECT_EQ(duplicate.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(duplicate.message().find("a@example.org"), absl::string_view::npos)
      << "row values (the DETAIL line) never reach the message: " << duplicate;

  EXPECT_EQ(StatusOf(db->url(), "INSERT INTO child VALUES (99)").code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      StatusOf(db->url(), "INSERT INTO parent VALUES (3, 'b', -1)").code(),
      absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(StatusOf(db->url(), "SELECT 'x'::int").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      StatusOf(db->url(), "SET statement_timeout = 50; SELECT pg_sleep(1)")
          .code(),
      absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(StatusOf(db->url(), "SELECT * FROM missing_table").code(),
            absl::StatusCode::kInternal);
}

TEST(ErrorsTest, UnreachableServerIsUnavailableAndRetryable) {
  try {
    pqxx::connection connection("postgresql://agora@127.0.0.1:1/postgres");
    FAIL() << "connected to port 1";
  } catch (const std::exception& error) {
    EXPECT_EQ(StatusFromException(error).code(),
              absl::StatusCode::kUnavailable);
    EXPECT_TRUE(IsRetryable(error));
  }
}

}  // namespace
}  // namespace agora::pg
