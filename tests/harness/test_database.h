// A PostgreSQL database of a test's own, dropped when the object goes away.
// With migrations, it is cloned from a template database that has them
// applied (built once per distinct set of migrations and shared by all test
// processes), which is much faster than migrating every test's database.
#ifndef AGORA_TESTS_HARNESS_TEST_DATABASE_H_
#define AGORA_TESTS_HARNESS_TEST_DATABASE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "libs/pg/migrations.h"

namespace agora::testing {

class TestDatabase {
 public:
  // An empty database.
  static absl::StatusOr<TestDatabase> Create();
  // A database whose `schema` has `sets` applied.
  static absl::StatusOr<TestDatabase> Create(
      const std::string& schema, const std::vector<pg::MigrationSet>& sets);

  TestDatabase(TestDatabase&& other) noexcept;
  TestDatabase& operator=(TestDatabase&&) = delete;
  TestDatabase(const TestDatabase&) = delete;
  ~TestDatabase();

  const std::string& name() const { return name_; }
  // URL of this database; with a schema, search_path is set to it.
  const std::string& url() const { return url_; }

 private:
  TestDatabase(std::string name, std::string url)
      : name_(std::move(name)), url_(std::move(url)) {}
  std::string name_;
  std::string url_;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_TEST_DATABASE_H_
