#include "services/moderation/screening/risk_weights.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>

namespace agora::moderation::screening {

int BuiltinRisk(FindingType type) {
  switch (type) {
    case FindingType::kCardNumber:
      return kCardNumberRisk;
    case FindingType::kIban:
      return kIbanRisk;
    case FindingType::kEmailAddress:
      return kEmailAddressRisk;
    case FindingType::kPhoneNumber:
      return kPhoneNumberRisk;
    case FindingType::kNationalIdFrNir:
    case FindingType::kNationalIdItCodiceFiscale:
    case FindingType::kNationalIdPlPesel:
    case FindingType::kNationalIdNlBsn:
    case FindingType::kNationalIdEsDniNie:
      return kNationalIdRisk;
    case FindingType::kCredentialRequest:
      return kCredentialRequestRisk;
    case FindingType::kLookalikeDomain:
      return kLookalikeDomainRisk;
    case FindingType::kStaffImpersonation:
      return kStaffImpersonationRisk;
    case FindingType::kBlockedTerm:
      return kBlockRuleRisk;
    case FindingType::kWatchedTerm:
      return kHoldRuleRisk;
    case FindingType::kLinkPolicy:
      return kLinkPolicyRisk;
    case FindingType::kShouting:
      return kShoutingRisk;
    case FindingType::kDuplicate:
      return kDuplicateRisk;
    case FindingType::kVelocity:
      return kVelocityRisk;
  }
  return 0;
}

int CountRiskOncePerRule(std::vector<Finding>* findings) {
  std::set<std::pair<FindingType, std::string>> counted;
  for (Finding& finding : *findings) {
    if (!counted.emplace(finding.type, finding.rule).second) finding.risk = 0;
  }
  return RiskScore(*findings);
}

int RiskScore(const std::vector<Finding>& findings) {
  int sum = 0;
  for (const Finding& finding : findings) {
    sum = std::min(kMaxRiskScore, sum + std::max(0, finding.risk));
  }
  return sum;
}

}  // namespace agora::moderation::screening
