// Between the contract (agora.moderation.v1 / agora.common.v1 messages) and
// the screening engine's plain types: the one place that knows both.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_ENGINE_ADAPTER_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_ENGINE_ADAPTER_H_

#include <vector>

#include "agora/moderation/v1/moderation.pb.h"
#include "services/moderation/screening/decision.h"
#include "services/moderation/screening/reason_codes.h"
#include "services/moderation/screening/screener.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation {

// The engine configuration of a tenant: `base` (flags of the service: staff
// names, phone countries, bank domains) completed by the tenant's policy and
// enabled rules.
screening::TenantScreeningConfig EngineConfig(
    const screening::TenantScreeningConfig& base,
    const agora::moderation::v1::ModerationPolicy& policy,
    const std::vector<agora::moderation::v1::Rule>& rules);

// One rule as the engine validates and compiles it.
screening::RuleSpec EngineRule(const agora::moderation::v1::Rule& rule);

// The engine's decision matrix for a space (its own matrix if the policy
// has one, else the tenant's).
screening::DecisionMatrix EngineMatrix(
    const agora::moderation::v1::ModerationPolicy& policy,
    const std::string& space);

agora::moderation::v1::FindingType ToProto(screening::FindingType type);
agora::common::v1::ModerationVerdict ToProto(screening::Verdict verdict);
screening::SpaceMode ToEngine(agora::common::v1::ModerationMode mode);

// The engine numbers its reason codes as agora.common.v1.ModerationReason.
agora::common::v1::ModerationReason ToProto(screening::ReasonCode reason);

// The engine's matrix as the contract's (for the default policy).
agora::moderation::v1::DecisionMatrix ToProto(
    const screening::DecisionMatrix& matrix);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_ENGINE_ADAPTER_H_
