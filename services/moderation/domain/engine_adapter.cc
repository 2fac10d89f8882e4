#include "services/moderation/domain/engine_adapter.h"

#include <algorithm>

namespace agora::moderation {

namespace common = agora::common::v1;

screening::RuleSpec EngineRule(const v1::Rule& rule) {
  screening::RuleSpec spec;
  spec.name = rule.name().substr(rule.name().rfind('/') + 1);
  switch (rule.action()) {
    case v1::RULE_ACTION_BLOCK:
      spec.action = screening::RuleSpec::kBlock;
      break;
    case v1::RULE_ACTION_HOLD:
      spec.action = screening::RuleSpec::kHold;
      break;
    default:
      spec.action = screening::RuleSpec::kWatch;
      break;
  }
  spec.terms.assign(rule.terms().terms().begin(), rule.terms().terms().end());
  spec.pattern = rule.pattern();
  spec.language = rule.language();
  spec.risk_weight = rule.risk_weight();
  spec.spaces.assign(rule.spaces().begin(), rule.spaces().end());
  spec.enabled = rule.enabled();
  return spec;
}

screening::TenantScreeningConfig EngineConfig(
    const screening::TenantScreeningConfig& base,
    const v1::ModerationPolicy& policy, const std::vector<v1::Rule>& rules) {
  screening::TenantScreeningConfig config = base;
  for (const v1::Rule& rule : rules) {
    if (rule.enabled()) config.rules.push_back(EngineRule(rule));
  }
  const v1::LinkPolicy& links = policy.link_policy();
  config.link_policy.allowed_domains.assign(links.allowed_domains().begin(),
                                            links.allowed_domains().end());
  config.link_policy.min_trust_level = links.min_trust_level();
  config.link_policy.max_links_per_post = links.max_links_per_post();
  // The tenant's own bank domains add to the service-wide ones.
  for (const std::string& domain : links.bank_domains()) {
    config.link_policy.bank_domains.push_back(domain);
  }
  config.shouting_uppercase_ratio = policy.shouting_uppercase_ratio();
  return config;
}

screening::DecisionMatrix EngineMatrix(const v1::ModerationPolicy& policy,
                                       const std::string& space) {
  const v1::DecisionMatrix* matrix = &policy.decision_matrix();
  for (const v1::SpaceDecisionMatrix& per_space : policy.space_matrices()) {
    if (!space.empty() && per_space.space() == space)
      matrix = &per_space.matrix();
  }
  screening::DecisionMatrix engine = screening::DefaultDecisionMatrix();
  for (const v1::TrustRiskThresholds& row : matrix->thresholds()) {
    const int level = static_cast<int>(row.trust_level());
    if (level < 1 || level > static_cast<int>(engine.thresholds.size()))
      continue;
    engine.thresholds[level - 1] = {row.publish_below(), row.review_below(),
                                    row.hold_below()};
  }
  return engine;
}

v1::FindingType ToProto(screening::FindingType type) {
  // The engine numbers its finding types as the contract does.
  return static_cast<v1::FindingType>(static_cast<int>(type));
}

common::ModerationVerdict ToProto(screening::Verdict verdict) {
  switch (verdict) {
    case screening::Verdict::kPublish:
      return common::MODERATION_VERDICT_PUBLISH;
    case screening::Verdict::kPublishThenReview:
      return common::MODERATION_VERDICT_PUBLISH_THEN_REVIEW;
    case screening::Verdict::kHold:
      return common::MODERATION_VERDICT_HOLD;
    case screening::Verdict::kReject:
      return common::MODERATION_VERDICT_REJECT;
  }
  return common::MODERATION_VERDICT_HOLD;
}

screening::SpaceMode ToEngine(common::ModerationMode mode) {
  switch (mode) {
    case common::MODERATION_MODE_POST_MODERATION:
      return screening::SpaceMode::kPostModeration;
    case common::MODERATION_MODE_PRE_MODERATION:
      return screening::SpaceMode::kPreModeration;
    default:
      return screening::SpaceMode::kAutomatic;
  }
}

common::ModerationReason ToProto(screening::ReasonCode reason) {
  return static_cast<common::ModerationReason>(static_cast<int>(reason));
}

v1::DecisionMatrix ToProto(const screening::DecisionMatrix& matrix) {
  v1::DecisionMatrix out;
  for (size_t level = 0; level < matrix.thresholds.size(); ++level) {
    v1::TrustRiskThresholds& row = *out.add_thresholds();
    row.set_trust_level(static_cast<common::TrustLevel>(level + 1));
    row.set_publish_below(matrix.thresholds[level].publish_below);
    row.set_review_below(matrix.thresholds[level].review_below);
    row.set_hold_below(matrix.thresholds[level].hold_below);
  }
  return out;
}

}  // namespace agora::moderation
