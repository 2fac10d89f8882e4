// Best: how sure we are that a post is good, not just how good it looks.
//
// Up/down votes: the lower bound of the Wilson score interval of the share
// of ups among n = ups + downs at best_confidence (E. B. Wilson, 1927; as
// popularised by Evan Miller, "How Not To Sort By Average Rating",
// https://www.evanmiller.org/how-not-to-sort-by-average-rating.html):
//   (p + z²/(2n) − z·sqrt((p(1 − p) + z²/(4n))/n)) / (1 + z²/n), p = ups/n;
// 0 when n = 0.
//
// Star ratings, per star_scoring:
//   BAYESIAN_AVERAGE: (prior_weight × prior_mean + rating_sum) /
//     (prior_weight + rating_count); 0 when both weights are 0.
//   BAYESIAN_BOUND: Evan Miller, "Ranking Items With Star Ratings"
//     (https://www.evanmiller.org/ranking-items-with-star-ratings.html):
//     with n_k the k-star ratings, a Dirichlet prior of one pseudo-rating
//     per level, K = 5 levels worth s_k = k points and N = Σ n_k,
//       mean   = Σ k·(n_k + 1)/(N + K)
//       second = Σ k²·(n_k + 1)/(N + K)
//       bound  = mean − z·sqrt((second − mean²)/(N + K + 1)).
//     Unrated posts get the prior's bound (3 − z·sqrt(1/3), 1.868 at 0.95),
//     not 0. Miller's post picks z as the one-sided quantile (1.65 for
//     95%); the published contract shares best_confidence with the Wilson
//     bound and its two-sided z (1.96 for 0.95), which only makes the bound
//     a little more conservative: the same z is used here.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_BEST_H_
#define AGORA_SERVICES_RANKING_FORMULAS_BEST_H_

#include <cstdint>

#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking::formulas {

inline constexpr char kWilsonFormula[] =
    "Wilson score lower bound: (p + z²/(2n) − z·sqrt((p(1 − p) + "
    "z²/(4n))/n))/(1 + z²/n), p = ups/n, n = ups + downs, z = normal "
    "quantile of 1 − (1 − confidence)/2; 0 when n = 0";
inline constexpr char kBayesianAverageFormula[] =
    "Bayesian average: (prior_weight × prior_mean + rating_sum)/"
    "(prior_weight + rating_count)";
inline constexpr char kBayesianBoundFormula[] =
    "Evan Miller's Bayesian bound: mean − z·sqrt((second − mean²)/"
    "(N + K + 1)), mean = Σ k·(n_k + 1)/(N + K), second = Σ k²·(n_k + 1)/"
    "(N + K), N = n_1 + n_2 + n_3 + n_4 + n_5, K = 5, z = normal quantile "
    "of 1 − (1 − confidence)/2";

// The primitives, for a z computed once (ZForConfidence).
double WilsonLowerBound(const UpDownVotes& votes, double z);
double BayesianAverage(int64_t rating_sum, int64_t rating_count,
                       double prior_mean, double prior_weight);
double BayesianBound(const StarHistogram& histogram, double z);

// The board scores with the tenant's parameters.
double BestScore(const UpDownVotes& votes, const FormulaParameters& parameters);
double StarBestScore(const StarHistogram& histogram,
                     const FormulaParameters& parameters);

// Wilson: inputs ups, downs, n, p; parameters confidence, z.
Explanation ExplainBest(const UpDownVotes& votes,
                        const FormulaParameters& parameters);
// Bayesian average: inputs rating_sum, rating_count; parameters
// prior_mean, prior_weight. Bayesian bound: inputs n_1 … n_5, N, mean,
// second; parameters confidence, z, K.
Explanation ExplainStarBest(const StarHistogram& histogram,
                            const FormulaParameters& parameters);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_BEST_H_
