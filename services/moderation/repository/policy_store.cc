#include "services/moderation/repository/policy_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/moderation/domain/engine_adapter.h"
#include "services/moderation/repository/rule_store.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;

void FillDefaults(v1::ModerationPolicy& policy) {
  if (policy.decision_matrix().thresholds().empty()) {
    *policy.mutable_decision_matrix() = DefaultDecisionMatrix();
  }
  v1::LinkPolicy& links = *policy.mutable_link_policy();
  if (links.min_trust_level() == agora::common::v1::TRUST_LEVEL_UNSPECIFIED) {
    links.set_min_trust_level(agora::common::v1::TRUST_LEVEL_BASIC);
  }
  if (links.max_links_per_post() == 0) links.set_max_links_per_post(10);
  if (policy.shouting_uppercase_ratio() == 0)
    policy.set_shouting_uppercase_ratio(0.7);
  if (policy.duplicate_similarity() == 0) policy.set_duplicate_similarity(0.85);
  if (!policy.has_duplicate_lookback()) {
    *policy.mutable_duplicate_lookback() =
        TimeUtil::SecondsToDuration(24 * 3600);
  }
  if (policy.max_posts_per_10_minutes() == 0)
    policy.set_max_posts_per_10_minutes(5);
  if (policy.flag_threshold() == 0) policy.set_flag_threshold(3.0);
  if (!policy.has_review_sla())
    *policy.mutable_review_sla() = TimeUtil::SecondsToDuration(900);
  if (!policy.has_appeal_window()) {
    *policy.mutable_appeal_window() =
        TimeUtil::SecondsToDuration(30 * 24 * 3600);
  }
}

}  // namespace

v1::DecisionMatrix DefaultDecisionMatrix() {
  return ToProto(screening::DefaultDecisionMatrix());
}

v1::ModerationPolicy DefaultPolicy(const std::string& tenant) {
  v1::ModerationPolicy policy;
  FillDefaults(policy);
  policy.set_name(absl::StrCat("tenants/", tenant, "/moderationPolicy"));
  policy.set_etag("0");
  return policy;
}

v1::ModerationPolicy LoadPolicy(pqxx::transaction_base& tx,
                                const std::string& tenant) {
  const pqxx::result rows = tx.exec_params(
      "SELECT policy, version, (extract(epoch FROM update_time) * "
      "1000000)::bigint"
      " FROM policies WHERE tenant = $1",
      tenant);
  if (rows.empty()) return DefaultPolicy(tenant);
  v1::ModerationPolicy policy;
  policy.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  FillDefaults(policy);
  policy.set_name(absl::StrCat("tenants/", tenant, "/moderationPolicy"));
  policy.set_etag(rows[0][1].as<std::string>());
  *policy.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(rows[0][2].as<int64_t>());
  return policy;
}

absl::StatusOr<v1::ModerationPolicy> SavePolicy(
    pqxx::transaction_base& tx, const std::string& tenant,
    const v1::ModerationPolicy& policy, const std::string& expected_etag) {
  v1::ModerationPolicy stored = policy;
  stored.clear_name();
  stored.clear_etag();
  stored.clear_update_time();
  const pqxx::binarystring bytes(stored.SerializeAsString());
  const pqxx::result current = tx.exec_params(
      "SELECT version FROM policies WHERE tenant = $1 FOR UPDATE", tenant);
  const std::string version =
      current.empty() ? "0" : current[0][0].as<std::string>();
  if (!expected_etag.empty() && expected_etag != version) {
    return absl::FailedPreconditionError(
        "etag: the policy changed since it was read");
  }
  tx.exec_params(
      "INSERT INTO policies (tenant, policy) VALUES ($1, $2)"
      " ON CONFLICT (tenant) DO UPDATE SET policy = $2, version = "
      "policies.version + 1,"
      " update_time = now()",
      tenant, bytes);
  BumpScreeningConfigGeneration(tx, tenant);
  return LoadPolicy(tx, tenant);
}

}  // namespace agora::moderation
