// The verdict: trust level × risk score, then the space's moderation mode.
//
//   1. A BLOCK rule matched (block_required): REJECT.
//   2. The author's trust level's thresholds against the risk score r:
//      r < publish_below → PUBLISH; r < review_below → PUBLISH_THEN_REVIEW;
//      r < hold_below → HOLD; otherwise REJECT.
//   3. A HOLD rule matched (hold_required): at least HOLD.
//   4. The space: PRE_MODERATION → at least HOLD; POST_MODERATION → at
//      least PUBLISH_THEN_REVIEW; AUTOMATIC → unchanged.
// "At least" never lowers REJECT.
//
// Default thresholds (publish_below / review_below / hold_below):
//   NEW       10 / 30 / 100   publishes very low risk only (an e-mail
//                             address, masked); a masked card is reviewed
//                             after publication; reject at 100 only
//   BASIC     15 / 40 / 100
//   MEMBER    25 / 55 / 101   never rejected on risk alone (101)
//   REGULAR   35 / 70 / 101
//   LEADER    50 / 80 / 101   a credential request (70) is published then
//                             reviewed, a look-alike link (80) held
// With the weights of risk_weights.h: a credential request (70) is held
// for NEW to REGULAR; a look-alike link (80) for everyone; link policy (20)
// and shouting (10) never hold on their own.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_DECISION_H_
#define AGORA_SERVICES_MODERATION_SCREENING_DECISION_H_

#include <array>
#include <vector>

#include "absl/status/status.h"
#include "services/moderation/screening/reason_codes.h"
#include "services/moderation/screening/screening_result.h"

namespace agora::moderation::screening {

// agora.common.v1.ModerationVerdict, in order of severity.
enum class Verdict {
  kPublish = 1,
  kPublishThenReview = 2,
  kHold = 3,
  kReject = 4,
};

// agora.common.v1.ModerationMode (UNSPECIFIED maps to kAutomatic).
enum class SpaceMode {
  kAutomatic = 1,
  kPostModeration = 2,
  kPreModeration = 3,
};

// agora.moderation.v1.TrustRiskThresholds: each 0-101, non-decreasing.
struct TrustRiskThresholds {
  int publish_below = 0;
  int review_below = 0;
  int hold_below = 0;

  friend bool operator==(const TrustRiskThresholds&,
                         const TrustRiskThresholds&) = default;
};

// agora.moderation.v1.DecisionMatrix: thresholds of trust levels 1 (NEW)
// to 5 (LEADER), at index level - 1.
struct DecisionMatrix {
  std::array<TrustRiskThresholds, 5> thresholds;

  // The thresholds of `trust_level`; levels outside 1-5 get NEW's (the
  // strictest), so a missing level never loosens the decision.
  const TrustRiskThresholds& ForTrustLevel(int trust_level) const;
};

// The defaults above.
DecisionMatrix DefaultDecisionMatrix();

// OK, or INVALID_ARGUMENT naming the first bad entry
// ("thresholds[2].review_below: below publish_below").
absl::Status ValidateDecisionMatrix(const DecisionMatrix& matrix);

// The verdict of `risk_score` alone under `thresholds`.
Verdict VerdictForRisk(const TrustRiskThresholds& thresholds, int risk_score);

struct Decision {
  Verdict verdict = Verdict::kHold;
  // What the author is told: the findings' reasons, plus kLowTrust when the
  // same risk would have gone further at LEADER level, plus kSpacePolicy
  // when the space's mode raised the verdict. Ascending, distinct.
  std::vector<ReasonCode> reasons;
};

// `trust_level` is the effective level (after TRUSTED_MEMBER), 1-5.
// `result` may include the service's duplicate and velocity findings (with
// risk_score recomputed).
Decision Decide(int trust_level, const ScreeningResult& result,
                const DecisionMatrix& matrix, SpaceMode space_mode);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_DECISION_H_
