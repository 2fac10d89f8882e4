#include "libs/pg/migrations.h"

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <pqxx/pqxx>
#include <set>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"

namespace agora::pg {
namespace {

bool IsIdentifier(absl::string_view text) {
  if (text.empty() || text.size() > 63) return false;
  return std::all_of(text.begin(), text.end(), [](char c) {
    return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_';
  });
}

// The version in "0003_add_votes.sql", or 0 when the name does not match.
int VersionOf(absl::string_view file_name) {
  if (file_name.size() < 10 || !absl::EndsWith(file_name, ".sql") ||
      file_name[4] != '_') {
    return 0;
  }
  int version = 0;
  if (!absl::SimpleAtoi(file_name.substr(0, 4), &version)) return 0;
  return version;
}

struct Applied {
  std::string checksum;
};

}  // namespace

std::string Checksum(absl::string_view sql) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(sql.data(), sql.size(), digest, &length, EVP_sha256(), nullptr);
  std::string hex;
  hex.reserve(length * 2);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

absl::StatusOr<MigrationSet> LoadMigrationsFromDirectory(
    absl::string_view component, const std::string& directory) {
  MigrationSet set{std::string(component), {}};
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator(directory, error)) {
    const std::string name = entry.path().filename().string();
    const int version = VersionOf(name);
    if (version <= 0) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream sql;
    sql << in.rdbuf();
    set.migrations.push_back(Migration{version, name, sql.str()});
  }
  if (error) {
    return absl::NotFoundError(
        absl::StrCat("migrations folder ", directory, ": ", error.message()));
  }
  std::sort(set.migrations.begin(), set.migrations.end(),
            [](const Migration& a, const Migration& b) {
              return a.version < b.version;
            });
  return set;
}

absl::StatusOr<std::vector<std::string>> ApplyMigrations(
    const std::string& conninfo, absl::string_view schema,
    const std::vector<MigrationSet>& sets) {
  if (!IsIdentifier(schema)) {
    return absl::InvalidArgumentError(
        absl::StrCat("schema name must match [a-z0-9_]{1,63}: ", schema));
  }
  for (const MigrationSet& set : sets) {
    if (!IsIdentifier(set.component)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "component name must match [a-z0-9_]{1,63}: ", set.component));
    }
    std::set<int> versions;
    for (const Migration& migration : set.migrations) {
      if (migration.version <= 0 ||
          !versions.insert(migration.version).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("migration ", set.component, "/", migration.name,
                         ": version must be positive and unique"));
      }
    }
  }
  std::vector<std::string> applied_now;
  try {
    pqxx::connection connection(conninfo);
    const std::string lock_key = absl::StrCat("agora.migrations.", schema);
    {
      pqxx::nontransaction lock(connection);
      // Session lock: held across the transactions below, released with the
      // connection even if this process dies.
      lock.exec_params("SELECT pg_advisory_lock(hashtext($1))", lock_key);
    }
    const std::string table = absl::StrCat(schema, ".schema_migrations");
    {
      pqxx::work setup(connection);
      setup.exec(absl::StrCat("CREATE SCHEMA IF NOT EXISTS ", schema));
      setup.exec(
          absl::StrCat("CREATE TABLE IF NOT EXISTS ", table,
                       " (component text NOT NULL, version integer NOT NULL,"
                       " name text NOT NULL, checksum text NOT NULL,"
                       " applied_at timestamptz NOT NULL DEFAULT now(),"
                       " PRIMARY KEY (component, version))"));
      setup.commit();
    }
    std::map<std::pair<std::string, int>, Applied> applied;
    {
      pqxx::nontransaction read(connection);
      for (const auto& row : read.exec(absl::StrCat(
               "SELECT component, version, checksum FROM ", table))) {
        applied[{row[0].as<std::string>(), row[1].as<int>()}] =
            Applied{row[2].as<std::string>()};
      }
    }
    for (const MigrationSet& set : sets) {
      std::vector<const Migration*> ordered;
      for (const Migration& migration : set.migrations)
        ordered.push_back(&migration);
      std::sort(ordered.begin(), ordered.end(),
                [](const Migration* a, const Migration* b) {
                  return a->version < b->version;
                });
      for (const Migration* migration : ordered) {
        const std::string checksum = Checksum(migration->sql);
        auto found = applied.find({set.component, migration->version});
        if (found != applied.end()) {
          if (found->second.checksum != checksum) {
            return absl::FailedPreconditionError(absl::StrCat(
                "migration ", set.component, "/", migration->name,
                " changed after it was applied; add a new migration instead"));
          }
          continue;
        }
        pqxx::work apply(connection);
        apply.exec(absl::StrCat("SET LOCAL search_path TO ", schema));
        apply.exec(migration->sql);
        apply.exec_params(absl::StrCat("INSERT INTO ", table,
                                       " (component, version, name, checksum)"
                                       " VALUES ($1, $2, $3, $4)"),
                          set.component, migration->version, migration->name,
                          checksum);
        apply.commit();
        applied_now.push_back(
            absl::StrCat(set.component, ":", migration->version));
        logging::Info("migration applied", {{"schema", std::string(schema)},
                                            {"component", set.component},
                                            {"migration", migration->name}});
      }
    }
    // Closing the connection releases the advisory lock.
  } catch (const std::exception& error) {
    return StatusFromException(error);
  }
  return applied_now;
}

}  // namespace agora::pg
