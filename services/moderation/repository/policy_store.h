// Tenant moderation policies (table policies), with Agora's defaults for a
// tenant that never set one. `etag` is the row version.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_POLICY_STORE_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_POLICY_STORE_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

// The defaults: 15-minute review SLA around the clock, flag threshold 3,
// shouting ratio 0.7, duplicates at 0.85 similarity over 24 h, 5 posts per
// 10 minutes, 30-day appeal window, links from BASIC trust up, 10 links per
// post, and the trust × risk matrix of DefaultDecisionMatrix().
agora::moderation::v1::ModerationPolicy DefaultPolicy(
    const std::string& tenant);

// The screening engine's default trust × risk matrix, as the contract's.
agora::moderation::v1::DecisionMatrix DefaultDecisionMatrix();

// The tenant's policy (defaults filled in for unset fields), with name,
// etag and update_time.
agora::moderation::v1::ModerationPolicy LoadPolicy(pqxx::transaction_base& tx,
                                                   const std::string& tenant);

// Stores `policy` (name, etag and times are ignored). With a non-empty
// `expected_etag`, FAILED_PRECONDITION when the stored version differs.
// Returns the stored policy as LoadPolicy would.
absl::StatusOr<agora::moderation::v1::ModerationPolicy> SavePolicy(
    pqxx::transaction_base& tx, const std::string& tenant,
    const agora::moderation::v1::ModerationPolicy& policy,
    const std::string& expected_etag);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_POLICY_STORE_H_
