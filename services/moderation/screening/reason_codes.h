// Author-facing reasons (agora.common.v1.ModerationReason): what the author
// is told, through localized messages keyed by these codes, so no rule text
// leaks.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_REASON_CODES_H_
#define AGORA_SERVICES_MODERATION_SCREENING_REASON_CODES_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/finding.h"

namespace agora::moderation::screening {

// Same numbers as agora.common.v1.ModerationReason (the reasons screening
// gives; moderators' own reasons are the service's).
enum class ReasonCode {
  kPersonalDataMasked = 1,
  kCredentialRequest = 2,
  kLookalikeDomain = 3,
  kStaffImpersonation = 4,
  kBlockedTerm = 5,
  kWatchedTerm = 6,
  kLinkPolicy = 7,
  kShouting = 8,
  kDuplicate = 9,
  kVelocity = 10,
  kLowTrust = 11,
  kSpacePolicy = 12,
};

// "personal-data-masked", ... for logs and tests.
absl::string_view ReasonCodeName(ReasonCode code);

// The reason a finding gives: every personal-data type gives
// kPersonalDataMasked; HOLD and WATCH rule matches give kWatchedTerm.
ReasonCode ReasonFor(FindingType type);

// The distinct reasons of `findings`, in ascending code order.
std::vector<ReasonCode> ReasonsFor(const std::vector<Finding>& findings);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_REASON_CODES_H_
