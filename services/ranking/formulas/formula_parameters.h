// A tenant's formula parameters as a plain struct: the ranking service maps
// agora.ranking.v1.RankingParameters onto it (unset proto fields become the
// defaults below) and calls ValidateFormulaParameters before storing or
// using it. Every formula in this folder assumes parameters that passed
// validation.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_FORMULA_PARAMETERS_H_
#define AGORA_SERVICES_RANKING_FORMULAS_FORMULA_PARAMETERS_H_

#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace agora::ranking::formulas {

// agora.ranking.v1.StarScoring without UNSPECIFIED (which means
// kBayesianAverage); the numbers are the proto's.
enum class StarScoring {
  kBayesianAverage = 1,
  kBayesianBound = 2,
};

// agora.ranking.v1.Contribution without UNSPECIFIED; the numbers are the
// proto's, so the service may static_cast the proto value and let
// validation reject what is not listed here.
enum class Contribution {
  kPost = 1,
  kAnswer = 2,
  kComment = 3,
  kAcceptedAnswer = 4,
  kUpvoteReceived = 5,
  kVoteCast = 6,
};

struct ContributionWeight {
  Contribution contribution = Contribution::kPost;
  double weight = 0;  // points, 0-100
};

// Reddit's epoch, 2005-12-08T07:46:43Z.
inline constexpr int64_t kDefaultHotEpochUnixSeconds = 1134028003;

// Field by field as RankingParameters; the defaults are the published ones.
struct FormulaParameters {
  double hot_gravity_seconds = 45000;  // 3,600-1,000,000
  absl::Time hot_epoch = absl::FromUnixSeconds(kDefaultHotEpochUnixSeconds);
  double best_confidence = 0.95;  // 0.5-0.999
  StarScoring star_scoring = StarScoring::kBayesianAverage;
  double star_prior_mean = 3.0;          // 1.0-5.0
  double star_prior_weight = 5.0;        // 0-1,000 pseudo-ratings
  int64_t controversial_min_votes = 10;  // 1-10,000
  absl::Duration trending_recent_window = absl::Hours(6);  // 15 min-7 days
  // Longer than the recent window, at most 90 days. The recent window is
  // its newest part: the baseline rate is measured over the rest.
  absl::Duration trending_baseline_window = absl::Hours(7 * 24);
  double trending_vote_weight = 1.0;     // 0-100
  double trending_comment_weight = 2.0;  // 0-100
  double trending_visitor_weight = 0.5;  // 0-100
  int64_t trending_min_events = 5;       // 1-10,000
  // At most one entry per contribution; weights 0-100.
  std::vector<ContributionWeight> contribution_weights = {
      {Contribution::kPost, 3},           {Contribution::kAnswer, 5},
      {Contribution::kComment, 1},        {Contribution::kAcceptedAnswer, 10},
      {Contribution::kUpvoteReceived, 1}, {Contribution::kVoteCast, 0},
  };
};

// OK, or INVALID_ARGUMENT naming the first bad field by its proto name and
// saying what is wrong ("hot_gravity_seconds: must be between 3600 and
// 1000000"). NaN is outside every range. Checked, in field order:
//   hot_gravity_seconds 3,600-1,000,000; hot_epoch finite;
//   best_confidence 0.5-0.999; star_scoring a known value;
//   star_prior_mean 1-5; star_prior_weight 0-1,000;
//   controversial_min_votes 1-10,000;
//   trending_recent_window 15 minutes-7 days;
//   trending_baseline_window longer than the recent window, at most 90 days;
//   trending_{vote,comment,visitor}_weight 0-100;
//   trending_min_events 1-10,000;
//   contribution_weights[i].contribution known and not repeated,
//   contribution_weights[i].weight 0-100.
absl::Status ValidateFormulaParameters(const FormulaParameters& parameters);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_FORMULA_PARAMETERS_H_
