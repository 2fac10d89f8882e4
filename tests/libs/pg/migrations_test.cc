#include "libs/pg/migrations.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"

namespace agora::pg {
namespace {

using ::agora::testing::TestDatabase;

MigrationSet Library() {
  return MigrationSet{
      "library",
      {
          {1, "0001_books.sql",
           "CREATE TABLE books (id bigserial PRIMARY KEY, title text NOT NULL);"
           "CREATE TABLE applied_log (what text);"
           "INSERT INTO applied_log VALUES ('0001');"
           // Slow enough that two runners started together overlap.
           "SELECT pg_sleep(0.3);"},
          {2, "0002_authors.sql",
           "ALTER TABLE books ADD COLUMN author text;"
           "INSERT INTO applied_log VALUES ('0002');"},
      }};
}

int64_t Count(const std::string& url, const std::string& sql) {
  pqxx::connection connection(url);
  pqxx::nontransaction tx(connection);
  return tx.exec1(sql)[0].as<int64_t>();
}

TEST(MigrationsTest, AppliesInOrderOnceAndRecordsChecksums) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::vector<std::string>> first =
      ApplyMigrations(db->url(), "library", {Library()});
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(*first, (std::vector<std::string>{"library:1", "library:2"}));

  absl::StatusOr<std::vector<std::string>> second =
      ApplyMigrations(db->url(), "library", {Library()});
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(Count(db->url(), "SELECT count(*) FROM library.applied_log"), 2);
  EXPECT_EQ(Count(db->url(),
                  "SELECT count(*) FROM library.schema_migrations WHERE "
                  "length(checksum) = 64"),
            2);
}

TEST(MigrationsTest, TwoRunnersAtOnceApplyEachMigrationOnce) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  absl::StatusOr<std::vector<std::string>> a, b;
  std::thread first(
      [&] { a = ApplyMigrations(db->url(), "library", {Library()}); });
  std::thread second(
      [&] { b = ApplyMigrations(db->url(), "library", {Library()}); });
  first.join();
  second.join();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(a->size() + b->size(), 2u)
      << "each migration applied by one runner";
  EXPECT_EQ(Count(db->url(), "SELECT count(*) FROM library.applied_log"), 2);
}

TEST(MigrationsTest, EditedMigrationIsRefused) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  ASSERT_TRUE(ApplyMigrations(db->url(), "library", {Library()}).ok());
  MigrationSet edited = Library();
  edited.migrations[0].sql += " -- edited";
  absl::StatusOr<std::vector<std::string>> result =
      ApplyMigrations(db->url(), "library", {edited});
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("0001_books.sql"),
            std::string::npos);
}

TEST(MigrationsTest, FailingMigrationRollsBackAndStopsTheRun) {
  absl::StatusOr<TestDatabase> db = TestDatabase::Create();
  ASSERT_TRUE(db.ok()) << db.status();
  MigrationSet broken = Library();
  broken.migrations[1].sql =
      "INSERT INTO applied_log VALUES ('0002'); SELECT * FROM no_such_table;";
  broken.migrations.push_back(
      {3, "0003_more.sql", "CREATE TABLE more (x int);"});
  EXPECT_FALSE(ApplyMigrations(db->url(), "library", {broken}).ok());
  EXPECT_EQ(Count(db->url(), "SELECT count(*) FROM library.applied_log"), 1)
      << "the failed script's insert was rolled back";
  EXPECT_EQ(Count(db->url(), "SELECT count(*) FROM library.schema_migrations"),
            1);
  EXPECT_EQ(Count(db->url(),
                  "SELECT count(*) FROM information_schema.tables WHERE "
                  "table_name = 'more'"),
            0);
}

TEST(MigrationsTest, BadNamesAndDuplicateVersionsAreRejected) {
  EXPECT_EQ(
      ApplyMigrations("postgresql://unused", "Bad-Schema", {}).status().code(),
      absl::StatusCode::kInvalidArgument);
  MigrationSet duplicated = Library();
  duplicated.migrations[1].version = 1;
  EXPECT_EQ(ApplyMigrations("postgresql://unused", "library", {duplicated})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(MigrationsTest, LoadsNumberedSqlFilesInOrder) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() /
      ("migrations-" + ::agora::testing::RandomName());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "0002_second.sql") << "SELECT 2;";
  std::ofstream(dir / "0001_first.sql") << "SELECT 1;";
  std::ofstream(dir / "README.md") << "not a migration";
  absl::StatusOr<MigrationSet> set =
      LoadMigrationsFromDirectory("demo", dir.string());
  std::filesystem::remove_all(dir);
  ASSERT_TRUE(set.ok()) << set.status();
  ASSERT_EQ(set->migrations.size(), 2u);
  EXPECT_EQ(set->migrations[0].version, 1);
  EXPECT_EQ(set->migrations[1].name, "0002_second.sql");
}

}  // namespace
}  // namespace agora::pg
