#include "services/moderation/repository/rule_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kColumns[] =
    "SELECT rule_id, rule, version,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint FROM rules";

v1::Rule FromRow(const std::string& tenant, const pqxx::row& row) {
  v1::Rule rule;
  rule.ParseFromString(pqxx::binarystring(row[1]).str());
  rule.set_name(
      absl::StrCat("tenants/", tenant, "/rules/", row[0].as<std::string>()));
  rule.set_etag(row[2].as<std::string>());
  *rule.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[3].as<int64_t>());
  *rule.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(row[4].as<int64_t>());
  return rule;
}

pqxx::binarystring Stored(const v1::Rule& rule) {
  v1::Rule stored = rule;
  stored.clear_name();
  stored.clear_etag();
  stored.clear_create_time();
  stored.clear_update_time();
  return pqxx::binarystring(stored.SerializeAsString());
}

// NOT_FOUND / FAILED_PRECONDITION for the row about to change.
absl::Status CheckVersion(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& rule_id,
                          const std::string& expected_etag) {
  const pqxx::result rows = tx.exec_params(
      "SELECT version FROM rules WHERE tenant = $1 AND rule_id = $2 FOR UPDATE",
      tenant, rule_id);
  if (rows.empty())
    return absl::NotFoundError(absl::StrCat("rule ", rule_id, " not found"));
  if (!expected_etag.empty() && rows[0][0].as<std::string>() != expected_etag) {
    return absl::FailedPreconditionError(
        "etag: the rule changed since it was read");
  }
  return absl::OkStatus();
}

}  // namespace

std::vector<v1::Rule> LoadRules(pqxx::transaction_base& tx,
                                const std::string& tenant) {
  std::vector<v1::Rule> rules;
  for (const pqxx::row& row : tx.exec_params(
           absl::StrCat(kColumns, " WHERE tenant = $1 ORDER BY rule_id"),
           tenant)) {
    rules.push_back(FromRow(tenant, row));
  }
  return rules;
}

std::optional<v1::Rule> FindRule(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& rule_id) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(kColumns, " WHERE tenant = $1 AND rule_id = $2"), tenant,
      rule_id);
  if (rows.empty()) return std::nullopt;
  return FromRow(tenant, rows[0]);
}

absl::StatusOr<v1::Rule> InsertRule(pqxx::transaction_base& tx,
                                    const std::string& tenant,
                                    const std::string& rule_id,
                                    const v1::Rule& rule) {
  const pqxx::result inserted = tx.exec_params(
      "INSERT INTO rules (tenant, rule_id, rule) VALUES ($1, $2, $3)"
      " ON CONFLICT DO NOTHING RETURNING 1",
      tenant, rule_id, Stored(rule));
  if (inserted.empty()) {
    return absl::AlreadyExistsError(
        absl::StrCat("rule ", rule_id, " already exists"));
  }
  BumpScreeningConfigGeneration(tx, tenant);
  return *FindRule(tx, tenant, rule_id);
}

absl::StatusOr<v1::Rule> ReplaceRule(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const std::string& rule_id,
                                     const v1::Rule& rule,
                                     const std::string& expected_etag) {
  if (absl::Status status = CheckVersion(tx, tenant, rule_id, expected_etag);
      !status.ok()) {
    return status;
  }
  tx.exec_params(
      "UPDATE rules SET rule = $3, version = version + 1, update_time = now()"
      " WHERE tenant = $1 AND rule_id = $2",
      tenant, rule_id, Stored(rule));
  BumpScreeningConfigGeneration(tx, tenant);
  return *FindRule(tx, tenant, rule_id);
}

absl::Status DeleteRule(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& rule_id,
                        const std::string& expected_etag) {
  if (absl::Status status = CheckVersion(tx, tenant, rule_id, expected_etag);
      !status.ok()) {
    return status;
  }
  tx.exec_params("DELETE FROM rules WHERE tenant = $1 AND rule_id = $2", tenant,
                 rule_id);
  BumpScreeningConfigGeneration(tx, tenant);
  return absl::OkStatus();
}

int64_t ScreeningConfigGeneration(pqxx::transaction_base& tx,
                                  const std::string& tenant) {
  const pqxx::result rows = tx.exec_params(
      "SELECT generation FROM screening_config_generations WHERE tenant = $1",
      tenant);
  return rows.empty() ? 0 : rows[0][0].as<int64_t>();
}

void BumpScreeningConfigGeneration(pqxx::transaction_base& tx,
                                   const std::string& tenant) {
  tx.exec_params(
      "INSERT INTO screening_config_generations (tenant, generation) VALUES "
      "($1, 1)"
      " ON CONFLICT (tenant) DO UPDATE SET"
      " generation = screening_config_generations.generation + 1",
      tenant);
}

}  // namespace agora::moderation
