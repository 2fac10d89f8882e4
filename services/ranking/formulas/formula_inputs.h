// A post's counts as the formulas read them. Counts below zero, which a
// consistent tally never holds, count as zero: a score is never NaN, which
// a Redis sorted set would refuse.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_FORMULA_INPUTS_H_
#define AGORA_SERVICES_RANKING_FORMULAS_FORMULA_INPUTS_H_

#include <algorithm>
#include <array>
#include <cstdint>

namespace agora::ranking::formulas {

// Up and down votes of a post (counted votes only, weight-0 votes left out).
struct UpDownVotes {
  int64_t ups = 0;
  int64_t downs = 0;
};

// Star ratings of a post: counts[k - 1] is the number of k-star ratings.
struct StarHistogram {
  std::array<int64_t, 5> counts{};
};

// Unweighted events of one trending window.
struct ActivityCounts {
  int64_t votes = 0;
  int64_t comments = 0;
  int64_t visitors = 0;  // unique human visitors of the post's shares
};

// Trending activity. `recent` covers the last trending_recent_window;
// `baseline` the rest of trending_baseline_window before it (the two do
// not overlap).
struct TrendingActivity {
  ActivityCounts recent{};
  ActivityCounts baseline{};
};

inline int64_t NonNegative(int64_t count) {
  return std::max<int64_t>(count, 0);
}

// Σ n_k and Σ k·n_k of a histogram.
inline int64_t RatingCount(const StarHistogram& histogram) {
  int64_t count = 0;
  for (int64_t n : histogram.counts) count += NonNegative(n);
  return count;
}
inline int64_t RatingSum(const StarHistogram& histogram) {
  int64_t sum = 0;
  for (int k = 1; k <= 5; ++k) sum += k * NonNegative(histogram.counts[k - 1]);
  return sum;
}

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_FORMULA_INPUTS_H_
