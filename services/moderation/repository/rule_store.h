// Tenant rules (table rules): word lists and RE2 patterns. `etag` is the
// row version. Validation of a rule's content is the domain's job
// (screening::ValidateRule); this layer only stores.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_RULE_STORE_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_RULE_STORE_H_

#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

// Every rule of the tenant, ordered by id, names and etags set.
std::vector<agora::moderation::v1::Rule> LoadRules(pqxx::transaction_base& tx,
                                                   const std::string& tenant);

// One rule, or nullopt.
std::optional<agora::moderation::v1::Rule> FindRule(pqxx::transaction_base& tx,
                                                    const std::string& tenant,
                                                    const std::string& rule_id);

// ALREADY_EXISTS when the id is taken.
absl::StatusOr<agora::moderation::v1::Rule> InsertRule(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& rule_id, const agora::moderation::v1::Rule& rule);

// Replaces the rule. NOT_FOUND when missing; FAILED_PRECONDITION when a
// non-empty `expected_etag` differs from the stored version.
absl::StatusOr<agora::moderation::v1::Rule> ReplaceRule(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& rule_id, const agora::moderation::v1::Rule& rule,
    const std::string& expected_etag);

// NOT_FOUND when missing; FAILED_PRECONDITION on an etag mismatch.
absl::Status DeleteRule(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& rule_id,
                        const std::string& expected_etag);

// A number that grows whenever a rule or the policy of the tenant changes:
// the rules cache compares it to know when to recompile.
int64_t ScreeningConfigGeneration(pqxx::transaction_base& tx,
                                  const std::string& tenant);

// Marks the tenant's rules or policy changed (called by every write here and
// by SavePolicy).
void BumpScreeningConfigGeneration(pqxx::transaction_base& tx,
                                   const std::string& tenant);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_RULE_STORE_H_
