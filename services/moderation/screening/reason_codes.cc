#include "services/moderation/screening/reason_codes.h"

#include <algorithm>

namespace agora::moderation::screening {

absl::string_view ReasonCodeName(ReasonCode code) {
  switch (code) {
    case ReasonCode::kPersonalDataMasked:
      return "personal-data-masked";
    case ReasonCode::kCredentialRequest:
      return "credential-request";
    case ReasonCode::kLookalikeDomain:
      return "lookalike-domain";
    case ReasonCode::kStaffImpersonation:
      return "staff-impersonation";
    case ReasonCode::kBlockedTerm:
      return "blocked-term";
    case ReasonCode::kWatchedTerm:
      return "watched-term";
    case ReasonCode::kLinkPolicy:
      return "link-policy";
    case ReasonCode::kShouting:
      return "shouting";
    case ReasonCode::kDuplicate:
      return "duplicate";
    case ReasonCode::kVelocity:
      return "velocity";
    case ReasonCode::kLowTrust:
      return "low-trust";
    case ReasonCode::kSpacePolicy:
      return "space-policy";
  }
  return "unknown";
}

ReasonCode ReasonFor(FindingType type) {
  switch (type) {
    case FindingType::kCredentialRequest:
      return ReasonCode::kCredentialRequest;
    case FindingType::kLookalikeDomain:
      return ReasonCode::kLookalikeDomain;
    case FindingType::kStaffImpersonation:
      return ReasonCode::kStaffImpersonation;
    case FindingType::kBlockedTerm:
      return ReasonCode::kBlockedTerm;
    case FindingType::kWatchedTerm:
      return ReasonCode::kWatchedTerm;
    case FindingType::kLinkPolicy:
      return ReasonCode::kLinkPolicy;
    case FindingType::kShouting:
      return ReasonCode::kShouting;
    case FindingType::kDuplicate:
      return ReasonCode::kDuplicate;
    case FindingType::kVelocity:
      return ReasonCode::kVelocity;
    default:
      return ReasonCode::kPersonalDataMasked;
  }
}

std::vector<ReasonCode> ReasonsFor(const std::vector<Finding>& findings) {
  std::vector<ReasonCode> reasons;
  reasons.reserve(findings.size());
  for (const Finding& finding : findings) {
    reasons.push_back(ReasonFor(finding.type));
  }
  std::sort(reasons.begin(), reasons.end());
  reasons.erase(std::unique(reasons.begin(), reasons.end()), reasons.end());
  return reasons;
}

}  // namespace agora::moderation::screening
