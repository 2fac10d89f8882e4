#include "services/ranking/formulas/best.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/ranking/formulas/confidence.h"

namespace agora::ranking::formulas {
namespace {

constexpr int kStarLevels = 5;  // K

struct StarMoments {
  double total = 0;   // N
  double mean = 0;    // Σ k·(n_k + 1)/(N + K)
  double second = 0;  // Σ k²·(n_k + 1)/(N + K)
};

StarMoments MomentsOf(const StarHistogram& histogram) {
  StarMoments moments;
  for (int64_t n : histogram.counts) {
    moments.total += static_cast<double>(NonNegative(n));
  }
  const double pseudo_total = moments.total + kStarLevels;
  for (int k = 1; k <= kStarLevels; ++k) {
    const double weight =
        (static_cast<double>(NonNegative(histogram.counts[k - 1])) + 1) /
        pseudo_total;
    moments.mean += k * weight;
    moments.second += k * k * weight;
  }
  return moments;
}

Term ConfidenceTerm(const FormulaParameters& parameters) {
  return {"confidence", parameters.best_confidence,
          "Confidence level of the bound (best_confidence)"};
}

Term ZTerm(double z) {
  return {"z", z, "Normal quantile of 1 − (1 − confidence)/2"};
}

}  // namespace

double WilsonLowerBound(const UpDownVotes& votes, double z) {
  const double ups = static_cast<double>(NonNegative(votes.ups));
  const double n = ups + static_cast<double>(NonNegative(votes.downs));
  if (n == 0) return 0;
  const double p = ups / n;
  const double z2 = z * z;
  return (p + z2 / (2 * n) - z * std::sqrt((p * (1 - p) + z2 / (4 * n)) / n)) /
         (1 + z2 / n);
}

double BayesianAverage(int64_t rating_sum, int64_t rating_count,
                       double prior_mean, double prior_weight) {
  const double weight =
      prior_weight + static_cast<double>(NonNegative(rating_count));
  if (weight == 0) return 0;
  return (prior_weight * prior_mean +
          static_cast<double>(NonNegative(rating_sum))) /
         weight;
}

double BayesianBound(const StarHistogram& histogram, double z) {
  const StarMoments m = MomentsOf(histogram);
  // second − mean² is a variance: never below zero in exact arithmetic, but
  // rounding can push it a hair under when every rating is the same.
  const double variance = std::max(m.second - m.mean * m.mean, 0.0);
  return m.mean - z * std::sqrt(variance / (m.total + kStarLevels + 1));
}

double BestScore(const UpDownVotes& votes,
                 const FormulaParameters& parameters) {
  return WilsonLowerBound(votes, ZForConfidence(parameters.best_confidence));
}

double StarBestScore(const StarHistogram& histogram,
                     const FormulaParameters& parameters) {
  if (parameters.star_scoring == StarScoring::kBayesianBound) {
    return BayesianBound(histogram, ZForConfidence(parameters.best_confidence));
  }
  return BayesianAverage(RatingSum(histogram), RatingCount(histogram),
                         parameters.star_prior_mean,
                         parameters.star_prior_weight);
}

Explanation ExplainBest(const UpDownVotes& votes,
                        const FormulaParameters& parameters) {
  const double ups = static_cast<double>(NonNegative(votes.ups));
  const double downs = static_cast<double>(NonNegative(votes.downs));
  const double n = ups + downs;
  const double z = ZForConfidence(parameters.best_confidence);
  Explanation explanation;
  explanation.formula = kWilsonFormula;
  explanation.inputs = {
      {"ups", ups, "Up votes counted"},
      {"downs", downs, "Down votes counted"},
      {"n", n, "Votes counted, ups + downs"},
      {"p", n == 0 ? 0 : ups / n, "Share of up votes, ups/n (0 when n = 0)"},
  };
  explanation.parameters = {ConfidenceTerm(parameters), ZTerm(z)};
  explanation.score = WilsonLowerBound(votes, z);
  return explanation;
}

Explanation ExplainStarBest(const StarHistogram& histogram,
                            const FormulaParameters& parameters) {
  Explanation explanation;
  if (parameters.star_scoring != StarScoring::kBayesianBound) {
    const int64_t sum = RatingSum(histogram);
    const int64_t count = RatingCount(histogram);
    explanation.formula = kBayesianAverageFormula;
    explanation.inputs = {
        {"rating_sum", static_cast<double>(sum), "Sum of the stars given"},
        {"rating_count", static_cast<double>(count), "Star ratings counted"},
    };
    explanation.parameters = {
        {"prior_mean", parameters.star_prior_mean,
         "Stars assumed before any rating (star_prior_mean)"},
        {"prior_weight", parameters.star_prior_weight,
         "Pseudo-ratings given to the prior (star_prior_weight)"},
    };
    explanation.score = BayesianAverage(sum, count, parameters.star_prior_mean,
                                        parameters.star_prior_weight);
    return explanation;
  }
  const StarMoments m = MomentsOf(histogram);
  const double z = ZForConfidence(parameters.best_confidence);
  explanation.formula = kBayesianBoundFormula;
  for (int k = 1; k <= kStarLevels; ++k) {
    explanation.inputs.push_back(
        {absl::StrCat("n_", k),
         static_cast<double>(NonNegative(histogram.counts[k - 1])),
         absl::StrCat(k, "-star ratings")});
  }
  explanation.inputs.push_back({"N", m.total, "Star ratings counted, Σ n_k"});
  explanation.inputs.push_back(
      {"mean", m.mean, "Posterior mean stars, one pseudo-rating per level"});
  explanation.inputs.push_back(
      {"second", m.second, "Posterior mean of the squared stars"});
  explanation.parameters = {
      ConfidenceTerm(parameters),
      ZTerm(z),
      {"K", kStarLevels, "Star levels, 1 to 5, each worth its stars"}};
  explanation.score = BayesianBound(histogram, z);
  return explanation;
}

}  // namespace agora::ranking::formulas
