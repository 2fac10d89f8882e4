#include "services/moderation/screening/decision.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace agora::moderation::screening {

const TrustRiskThresholds& DecisionMatrix::ForTrustLevel(
    int trust_level) const {
  if (trust_level < 1 || trust_level > 5) trust_level = 1;
  return thresholds[static_cast<size_t>(trust_level - 1)];
}

DecisionMatrix DefaultDecisionMatrix() {
  DecisionMatrix matrix;
  matrix.thresholds = {{
      {10, 30, 100},  // NEW
      {15, 40, 100},  // BASIC
      {25, 55, 101},  // MEMBER
      {35, 70, 101},  // REGULAR
      {50, 80, 101},  // LEADER
  }};
  return matrix;
}

absl::Status ValidateDecisionMatrix(const DecisionMatrix& matrix) {
  for (size_t i = 0; i < matrix.thresholds.size(); ++i) {
    const TrustRiskThresholds& t = matrix.thresholds[i];
    const std::string field = absl::StrCat("thresholds[", i, "]");
    for (const auto& [name, value] :
         {std::pair<const char*, int>{"publish_below", t.publish_below},
          {"review_below", t.review_below},
          {"hold_below", t.hold_below}}) {
      if (value < 0 || value > 101) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".", name, ": must be 0-101"));
      }
    }
    if (t.review_below < t.publish_below) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".review_below: below publish_below"));
    }
    if (t.hold_below < t.review_below) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".hold_below: below review_below"));
    }
  }
  return absl::OkStatus();
}

Verdict VerdictForRisk(const TrustRiskThresholds& thresholds, int risk_score) {
  if (risk_score < thresholds.publish_below) return Verdict::kPublish;
  if (risk_score < thresholds.review_below) return Verdict::kPublishThenReview;
  if (risk_score < thresholds.hold_below) return Verdict::kHold;
  return Verdict::kReject;
}

Decision Decide(int trust_level, const ScreeningResult& result,
                const DecisionMatrix& matrix, SpaceMode space_mode) {
  Decision decision;
  decision.reasons = ReasonsFor(result.findings);
  if (result.block_required) {
    decision.verdict = Verdict::kReject;
    return decision;
  }
  Verdict verdict =
      VerdictForRisk(matrix.ForTrustLevel(trust_level), result.risk_score);
  if (verdict > VerdictForRisk(matrix.ForTrustLevel(5), result.risk_score)) {
    decision.reasons.push_back(ReasonCode::kLowTrust);
  }
  if (result.hold_required) verdict = std::max(verdict, Verdict::kHold);
  Verdict floor = Verdict::kPublish;
  if (space_mode == SpaceMode::kPreModeration) floor = Verdict::kHold;
  if (space_mode == SpaceMode::kPostModeration) {
    floor = Verdict::kPublishThenReview;
  }
  if (floor > verdict) {
    verdict = floor;
    decision.reasons.push_back(ReasonCode::kSpacePolicy);
  }
  decision.verdict = verdict;
  std::sort(decision.reasons.begin(), decision.reasons.end());
  decision.reasons.erase(
      std::unique(decision.reasons.begin(), decision.reasons.end()),
      decision.reasons.end());
  return decision;
}

}  // namespace agora::moderation::screening
