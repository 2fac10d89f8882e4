#include "tests/harness/test_database.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/conninfo.h"
#include "libs/pg/errors.h"
#include "tests/harness/test_environment.h"

namespace agora::testing {
namespace {

// Template name for a schema and migrations: same content, same template.
std::string TemplateName(const std::string& schema,
                         const std::vector<pg::MigrationSet>& sets) {
  std::string fingerprint = schema;
  for (const pg::MigrationSet& set : sets) {
    absl::StrAppend(&fingerprint, "|", set.component);
    for (const pg::Migration& migration : set.migrations) {
      absl::StrAppend(&fingerprint, ":", migration.version, ":",
                      pg::Checksum(migration.sql));
    }
  }
  return absl::StrCat("tpl_", pg::Checksum(fingerprint).substr(0, 24));
}

}  // namespace

absl::StatusOr<TestDatabase> TestDatabase::Create() {
  const std::string name = absl::StrCat("t_", RandomName());
  try {
    pqxx::connection admin(PostgresAdminUrl());
    pqxx::nontransaction tx(admin);
    tx.exec(absl::StrCat("CREATE DATABASE ", name));
  } catch (const std::exception& error) {
    return pg::StatusFromException(error);
  }
  return TestDatabase(name, PostgresUrlFor(name));
}

absl::StatusOr<TestDatabase> TestDatabase::Create(
    const std::string& schema, const std::vector<pg::MigrationSet>& sets) {
  const std::string template_name = TemplateName(schema, sets);
  const std::string name = absl::StrCat("t_", RandomName());
  try {
    pqxx::connection admin(PostgresAdminUrl());
    pqxx::nontransaction tx(admin);
    // One process builds the template; the others wait, then clone it. Clones
    // are serialised too: CREATE DATABASE ... TEMPLATE fails while another
    // session is connected to the template.
    tx.exec_params("SELECT pg_advisory_lock(hashtext($1))", template_name);
    const bool exists =
        !tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1",
                        template_name)
             .empty();
    if (!exists) {
      const std::string building = absl::StrCat(template_name, "_building");
      tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", building));
      tx.exec(absl::StrCat("CREATE DATABASE ", building));
      absl::StatusOr<std::vector<std::string>> applied =
          pg::ApplyMigrations(PostgresUrlFor(building), schema, sets);
      if (!applied.ok()) {
        tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", building));
        tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))",
                       template_name);
        return applied.status();
      }
      tx.exec(absl::StrCat("ALTER DATABASE ", building, " RENAME TO ",
                           template_name));
    }
    tx.exec(
        absl::StrCat("CREATE DATABASE ", name, " TEMPLATE ", template_name));
    tx.exec_params("SELECT pg_advisory_unlock(hashtext($1))", template_name);
  } catch (const std::exception& error) {
    return pg::StatusFromException(error);
  }
  return TestDatabase(name, pg::WithSearchPath(PostgresUrlFor(name), schema));
}

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : name_(std::move(other.name_)), url_(std::move(other.url_)) {
  other.name_.clear();
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  try {
    pqxx::connection admin(PostgresAdminUrl());
    pqxx::nontransaction tx(admin);
    tx.exec(absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
  } catch (const std::exception&) {
    // tests/run throws the whole server away afterwards.
  }
}

}  // namespace agora::testing
