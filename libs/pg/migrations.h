// Schema migrations: ordered SQL scripts per component (a service, or a
// library with tables of its own such as the events outbox), applied once
// each, in order, under a PostgreSQL advisory lock so that replicas starting
// together apply each migration exactly once. Applied scripts are recorded
// with a SHA-256 checksum; a script edited after it was applied is refused.
#ifndef AGORA_LIBS_PG_MIGRATIONS_H_
#define AGORA_LIBS_PG_MIGRATIONS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::pg {

struct Migration {
  int version = 0;  // from the file name "0003_add_votes.sql" -> 3; unique, > 0
  std::string name;  // the file name
  std::string sql;   // the script; runs in one transaction
};

// The migrations of a component, ordered by version. Build them with
// agora_embed_migrations() (cmake/AgoraMigrations.cmake) or by hand in tests.
struct MigrationSet {
  std::string component;  // e.g. "content", "events"; [a-z0-9_]+
  std::vector<Migration> migrations;
};

// Reads NNNN_name.sql files of a folder (other files are ignored).
absl::StatusOr<MigrationSet> LoadMigrationsFromDirectory(
    absl::string_view component, const std::string& directory);

// Hex SHA-256 of a script, as recorded in schema_migrations.
std::string Checksum(absl::string_view sql);

// Applies, under a lock, the migrations of every set not yet recorded in
// `schema`.schema_migrations, creating the schema if needed. Scripts run with
// search_path = `schema`. Returns "component:version" of each migration this
// call applied (empty when all were there). FAILED_PRECONDITION when an
// applied script's checksum changed; the error of a failing script otherwise
// (its transaction is rolled back, later ones are not run).
absl::StatusOr<std::vector<std::string>> ApplyMigrations(
    const std::string& conninfo, absl::string_view schema,
    const std::vector<MigrationSet>& sets);

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_MIGRATIONS_H_
