#include "services/ranking/formulas/formula_parameters.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace agora::ranking::formulas {
namespace {

// Written so that NaN fails: every comparison with NaN is false.
bool Within(double value, double low, double high) {
  return value >= low && value <= high;
}

absl::Status OutOfRange(absl::string_view field, absl::string_view range) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be between ", range));
}

bool IsKnown(Contribution contribution) {
  const int value = static_cast<int>(contribution);
  return value >= static_cast<int>(Contribution::kPost) &&
         value <= static_cast<int>(Contribution::kVoteCast);
}

absl::Status ValidateContributionWeights(
    const std::vector<ContributionWeight>& weights) {
  std::set<Contribution> seen;
  for (size_t i = 0; i < weights.size(); ++i) {
    const std::string field = absl::StrCat("contribution_weights[", i, "]");
    if (!IsKnown(weights[i].contribution)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".contribution: must be a known contribution"));
    }
    if (!seen.insert(weights[i].contribution).second) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".contribution: already weighted by an earlier entry"));
    }
    if (!Within(weights[i].weight, 0, 100)) {
      return OutOfRange(absl::StrCat(field, ".weight"), "0 and 100");
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateFormulaParameters(const FormulaParameters& p) {
  if (!Within(p.hot_gravity_seconds, 3600, 1000000)) {
    return OutOfRange("hot_gravity_seconds", "3600 and 1000000");
  }
  if (p.hot_epoch == absl::InfinitePast() ||
      p.hot_epoch == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("hot_epoch: must be a finite time");
  }
  if (!Within(p.best_confidence, 0.5, 0.999)) {
    return OutOfRange("best_confidence", "0.5 and 0.999");
  }
  if (p.star_scoring != StarScoring::kBayesianAverage &&
      p.star_scoring != StarScoring::kBayesianBound) {
    return absl::InvalidArgumentError(
        "star_scoring: must be BAYESIAN_AVERAGE or BAYESIAN_BOUND");
  }
  if (!Within(p.star_prior_mean, 1, 5)) {
    return OutOfRange("star_prior_mean", "1 and 5");
  }
  if (!Within(p.star_prior_weight, 0, 1000)) {
    return OutOfRange("star_prior_weight", "0 and 1000");
  }
  if (p.controversial_min_votes < 1 || p.controversial_min_votes > 10000) {
    return OutOfRange("controversial_min_votes", "1 and 10000");
  }
  if (p.trending_recent_window < absl::Minutes(15) ||
      p.trending_recent_window > absl::Hours(7 * 24)) {
    return OutOfRange("trending_recent_window", "15 minutes and 7 days");
  }
  if (p.trending_baseline_window <= p.trending_recent_window ||
      p.trending_baseline_window > absl::Hours(90 * 24)) {
    return absl::InvalidArgumentError(
        "trending_baseline_window: must be longer than "
        "trending_recent_window and at most 90 days");
  }
  if (!Within(p.trending_vote_weight, 0, 100)) {
    return OutOfRange("trending_vote_weight", "0 and 100");
  }
  if (!Within(p.trending_comment_weight, 0, 100)) {
    return OutOfRange("trending_comment_weight", "0 and 100");
  }
  if (!Within(p.trending_visitor_weight, 0, 100)) {
    return OutOfRange("trending_visitor_weight", "0 and 100");
  }
  if (p.trending_min_events < 1 || p.trending_min_events > 10000) {
    return OutOfRange("trending_min_events", "1 and 10000");
  }
  return ValidateContributionWeights(p.contribution_weights);
}

}  // namespace agora::ranking::formulas
