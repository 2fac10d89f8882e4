// Risk points per finding, and how they add up to a post's risk score
// (0-100) — the number Decide compares with the tenant's thresholds
// (decision.h, default thresholds there).
//
// Each (type, rule) pair counts once per post: five e-mail addresses weigh
// what one does, and a watched word repeated ten times what it weighs once;
// further findings of the pair carry risk 0. The score is the sum, capped at
// 100.
//
// Why these weights:
//   - personal data is masked before anything is stored or shown, so it
//     adds little: a masked card number alone publishes a MEMBER's post at
//     once and sends a NEW member's post to review afterwards;
//   - bank fraud signals (credential requests 70, look-alike domains 80,
//     staff impersonation 60) hold the post for every trust level below
//     REGULAR/LEADER, and two of them together reach 100, the rejection
//     threshold of NEW and BASIC members;
//   - BLOCK rules reject whatever the score (block_required) and weigh
//     100 so the score says so; HOLD rules hold whatever the score
//     (hold_required) and weigh 40, which also ranks them in the queue;
//     WATCH rules weigh what the tenant sets (1-100);
//   - link policy and shouting are nuisances (20 and 10): review, not
//     hold.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_RISK_WEIGHTS_H_
#define AGORA_SERVICES_MODERATION_SCREENING_RISK_WEIGHTS_H_

#include <vector>

#include "services/moderation/screening/finding.h"

namespace agora::moderation::screening {

inline constexpr int kCardNumberRisk = 10;
inline constexpr int kIbanRisk = 5;
inline constexpr int kEmailAddressRisk = 5;
inline constexpr int kPhoneNumberRisk = 5;
inline constexpr int kNationalIdRisk = 15;
inline constexpr int kCredentialRequestRisk = 70;
inline constexpr int kLookalikeDomainRisk = 80;
inline constexpr int kStaffImpersonationRisk = 60;
inline constexpr int kBlockRuleRisk = 100;
inline constexpr int kHoldRuleRisk = 40;
inline constexpr int kLinkPolicyRisk = 20;
inline constexpr int kShoutingRisk = 10;
// For the service's own findings (Redis history): a near-duplicate of a
// recent post, and posting faster than the tenant allows.
inline constexpr int kDuplicateRisk = 30;
inline constexpr int kVelocityRisk = 40;

inline constexpr int kMaxRiskScore = 100;

// The weight of a built-in finding type (tenant rules carry their own).
int BuiltinRisk(FindingType type);

// Keeps the `risk` of the first finding of each (type, rule) pair, in
// order, sets the others' to 0, and returns the capped sum. Screener
// applies it; the service appends its duplicate and velocity findings
// (risk kDuplicateRisk, kVelocityRisk) and calls it again on the whole
// list.
int CountRiskOncePerRule(std::vector<Finding>* findings);

// The capped sum of the findings' `risk`.
int RiskScore(const std::vector<Finding>& findings);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_RISK_WEIGHTS_H_
