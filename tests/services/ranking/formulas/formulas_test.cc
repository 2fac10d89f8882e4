// The published ranking formulas against values computed by hand (the
// computation is in each test's comment), their edge cases, the orders
// they promise, the validation of a tenant's parameters, and explanations
// whose terms give back the score.
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/ranking/formulas/best.h"
#include "services/ranking/formulas/confidence.h"
#include "services/ranking/formulas/controversial.h"
#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"
#include "services/ranking/formulas/formula_parameters.h"
#include "services/ranking/formulas/hot.h"
#include "services/ranking/formulas/top.h"
#include "services/ranking/formulas/trending.h"

namespace agora::ranking::formulas {
namespace {

using ::testing::DoubleNear;
using ::testing::HasSubstr;
using ::testing::Optional;

constexpr double kTolerance = 1e-6;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

const absl::Time kRedditEpoch = absl::FromUnixSeconds(1134028003);

StarHistogram Stars(int64_t one, int64_t two, int64_t three, int64_t four,
                    int64_t five) {
  return StarHistogram{{one, two, three, four, five}};
}

// The value of the term called `name`, from the inputs or the parameters.
double TermValue(const Explanation& explanation, const std::string& name) {
  for (const auto* terms : {&explanation.inputs, &explanation.parameters}) {
    for (const Term& term : *terms) {
      if (term.name == name) return term.value;
    }
  }
  ADD_FAILURE() << "no term " << name << " in " << explanation.formula;
  return std::numeric_limits<double>::quiet_NaN();
}

// --- z ---------------------------------------------------------------------

TEST(RankingFormulaConfidenceTest, ZIsTheTwoSidedNormalQuantile) {
  // Φ⁻¹(1 − 0.05/2) = Φ⁻¹(0.975); Φ⁻¹(0.75); Φ⁻¹(0.9995): the published
  // table values.
  EXPECT_NEAR(ZForConfidence(0.95), 1.959964, kTolerance);
  EXPECT_NEAR(ZForConfidence(0.5), 0.674490, kTolerance);
  EXPECT_NEAR(ZForConfidence(0.999), 3.290527, kTolerance);
}

TEST(RankingFormulaConfidenceTest,
     OutsideTheUnitIntervalIsNotFiniteAndDoesNotThrow) {
  EXPECT_FALSE(std::isfinite(ZForConfidence(1.0)));
  EXPECT_FALSE(std::isfinite(ZForConfidence(0.0)));
  EXPECT_FALSE(std::isfinite(ZForConfidence(-3)));
  EXPECT_FALSE(
      std::isfinite(ZForConfidence(std::numeric_limits<double>::quiet_NaN())));
}

// --- hot -------------------------------------------------------------------

TEST(RankingFormulaHotTest, HandComputedWithTheDefaults) {
  const FormulaParameters defaults;
  // s = 10: log10(10) = 1; t − t0 = 100 × 45,000 s: 100. Score 101.
  EXPECT_NEAR(HotScore({.ups = 12, .downs = 2},
                       kRedditEpoch + absl::Seconds(100 * 45000), defaults),
              101.0, kTolerance);
  // 2024-01-01T00:00:00Z = 1,704,067,200 s; (1,704,067,200 − 1,134,028,003)
  // / 45,000 = 12,667.537711; s = 1,000 adds 3: 12,670.537711.
  EXPECT_NEAR(HotScore({.ups = 1000, .downs = 0},
                       absl::FromUnixSeconds(1704067200), defaults),
              12670.537711, kTolerance);
}

TEST(RankingFormulaHotTest, NegativeNetScoreSubtractsItsOrder) {
  // s = 3 − 103 = −100: −log10(100) = −2, plus one gravity of age: −1.
  EXPECT_NEAR(
      HotScore({.ups = 3, .downs = 103}, kRedditEpoch + absl::Seconds(45000),
               FormulaParameters{}),
      -1.0, kTolerance);
}

TEST(RankingFormulaHotTest, NetScoresOfZeroAndOneBothLeaveOnlyTheTimeTerm) {
  // max(|s|, 1) = 1 for s in {−1, 0, 1}: log10(1) = 0; t − t0 = 22,500 s
  // is half a gravity.
  const absl::Time t = kRedditEpoch + absl::Seconds(22500);
  for (const UpDownVotes votes : {UpDownVotes{0, 0}, UpDownVotes{1, 0},
                                  UpDownVotes{0, 1}, UpDownVotes{4, 4}}) {
    EXPECT_NEAR(HotScore(votes, t, FormulaParameters{}), 0.5, kTolerance)
        << votes.ups << " up, " << votes.downs << " down";
  }
}

TEST(RankingFormulaHotTest, PublicationBeforeTheEpochScoresBelowZero) {
  // t − t0 = −90,000 s: −2; s = 100: +2. Exactly 0.
  EXPECT_NEAR(
      HotScore({.ups = 100, .downs = 0}, kRedditEpoch - absl::Seconds(90000),
               FormulaParameters{}),
      0.0, kTolerance);
  EXPECT_LT(HotScore({}, absl::UnixEpoch(), FormulaParameters{}), 0);
}

TEST(RankingFormulaHotTest, NewerPostWithTheSameVotesRanksHigher) {
  const UpDownVotes votes{.ups = 40, .downs = 7};
  const absl::Time t = absl::FromUnixSeconds(1704067200);
  EXPECT_GT(HotScore(votes, t + absl::Seconds(1), FormulaParameters{}),
            HotScore(votes, t, FormulaParameters{}));
}

TEST(RankingFormulaHotTest, OneGravityOfRecencyIsWorthTenTimesTheVotes) {
  // 100 up at t and 10 up at t + gravity: 2 + x = 1 + (x + 1).
  FormulaParameters parameters;
  parameters.hot_gravity_seconds = 3600;
  parameters.hot_epoch = absl::FromUnixSeconds(1700000000);
  const absl::Time t = absl::FromUnixSeconds(1700360000);  // 100 gravities
  EXPECT_NEAR(HotScore({.ups = 100}, t, parameters), 102.0, kTolerance);
  EXPECT_NEAR(HotScore({.ups = 10}, t + absl::Seconds(3600), parameters),
              HotScore({.ups = 100}, t, parameters), kTolerance);
}

// --- best, up/down
// ------------------------------------------------------------

TEST(RankingFormulaWilsonTest, HandComputedAtNinetyFivePercent) {
  const FormulaParameters defaults;
  // 5 up, 0 down: p = 1, z² = 3.841459, z²/(2n) = 0.384146,
  // z·sqrt((0 + z²/20)/5) = z·0.195996 = 0.384146, so the numerator is 1;
  // 1/(1 + z²/5) = 1/1.768292 = 0.565518.
  EXPECT_NEAR(BestScore({.ups = 5, .downs = 0}, defaults), 0.565518, 1e-6);
  // 60 up, 40 down: p = 0.6, z²/200 = 0.019207,
  // z·sqrt((0.24 + 0.009604)/100) = z·0.049960 = 0.097921;
  // (0.6 + 0.019207 − 0.097921)/1.038415 = 0.502003.
  EXPECT_NEAR(BestScore({.ups = 60, .downs = 40}, defaults), 0.502003, 1e-6);
  // 1 up: (1 + z²/2 − z²/2)/(1 + z²) = 1/4.841459 = 0.206549.
  EXPECT_NEAR(BestScore({.ups = 1, .downs = 0}, defaults), 0.206549, 1e-6);
}

TEST(RankingFormulaWilsonTest, NoVotesAndAllDownScoreZero) {
  EXPECT_EQ(BestScore({}, FormulaParameters{}), 0.0);
  // p = 0: z²/(2n) − z·sqrt(z²/(4n²)) = 0, up to rounding.
  EXPECT_NEAR(BestScore({.ups = 0, .downs = 10}, FormulaParameters{}), 0.0,
              1e-12);
}

TEST(RankingFormulaWilsonTest,
     MoreVotesAtTheSameRatioRankHigherAndStayBelowIt) {
  const double small = BestScore({.ups = 6, .downs = 4}, FormulaParameters{});
  const double medium =
      BestScore({.ups = 60, .downs = 40}, FormulaParameters{});
  const double large =
      BestScore({.ups = 600, .downs = 400}, FormulaParameters{});
  EXPECT_LT(small, medium);
  EXPECT_LT(medium, large);
  EXPECT_LT(large, 0.6);
}

TEST(RankingFormulaWilsonTest, HugeCountsConvergeOnTheShareOfUps) {
  // Half-width ≈ z·sqrt(0.24/10¹²) ≈ 1e-6.
  const double score = BestScore(
      {.ups = 600'000'000'000, .downs = 400'000'000'000}, FormulaParameters{});
  EXPECT_NEAR(score, 0.6, 2e-6);
  EXPECT_LT(score, 0.6);
}

TEST(RankingFormulaWilsonTest, HigherConfidenceIsMoreCautious) {
  FormulaParameters cautious;
  cautious.best_confidence = 0.999;
  EXPECT_LT(BestScore({.ups = 60, .downs = 40}, cautious),
            BestScore({.ups = 60, .downs = 40}, FormulaParameters{}));
  // The same z as the primitive with z given.
  EXPECT_NEAR(BestScore({.ups = 60, .downs = 40}, cautious),
              WilsonLowerBound({.ups = 60, .downs = 40}, 3.2905267315), 1e-9);
}

// --- best, stars ------------------------------------------------------------

TEST(RankingFormulaStarBestTest, BayesianAverageHandComputed) {
  FormulaParameters parameters;  // prior 3.0 × 5
  // Two 5-star and one 4-star: sum 14, count 3; (5 × 3 + 14)/(5 + 3) =
  // 29/8 = 3.625.
  EXPECT_NEAR(StarBestScore(Stars(0, 0, 0, 1, 2), parameters), 3.625,
              kTolerance);
  // No ratings: the prior mean.
  EXPECT_NEAR(StarBestScore(Stars(0, 0, 0, 0, 0), parameters), 3.0, kTolerance);
  // No prior: the plain average, and 0 rather than 0/0 without ratings.
  parameters.star_prior_weight = 0;
  EXPECT_NEAR(StarBestScore(Stars(0, 0, 0, 1, 2), parameters), 14.0 / 3,
              kTolerance);
  EXPECT_EQ(StarBestScore(Stars(0, 0, 0, 0, 0), parameters), 0.0);
}

TEST(RankingFormulaStarBestTest, BayesianBoundMatchesEvanMillersWorkedExample) {
  // The worked example of the Stack Overflow answer quoting Miller's post
  // (60 five-star, 80 four, 75 three, 20 two, 25 one; z = 1.65):
  // N = 260, N + K = 265; mean = (5·61 + 4·81 + 3·76 + 2·21 + 1·26)/265 =
  // 925/265 = 3.490566; second = (25·61 + 16·81 + 9·76 + 4·21 + 26)/265 =
  // 3615/265 = 13.641509; variance 13.641509 − 3.490566² = 1.457814;
  // 3.490566 − 1.65·sqrt(1.457814/266) = 3.490566 − 0.122136 = 3.368431
  // (the answer's own code prints 3.3684307456).
  EXPECT_NEAR(BayesianBound(Stars(25, 20, 75, 80, 60), 1.65), 3.3684307456,
              1e-9);
}

TEST(RankingFormulaStarBestTest, BayesianBoundOfAnUnratedPostIsThePriorsBound) {
  // One pseudo-rating per level: mean 15/5 = 3, second 55/5 = 11,
  // variance 2; 3 − 1.959964·sqrt(2/6) = 3 − 1.131586 = 1.868414.
  FormulaParameters parameters;
  parameters.star_scoring = StarScoring::kBayesianBound;
  EXPECT_NEAR(StarBestScore(Stars(0, 0, 0, 0, 0), parameters), 1.868414,
              kTolerance);
}

TEST(RankingFormulaStarBestTest, BayesianBoundPrefersMoreOfTheSameRatings) {
  // Miller's ordering: ten 5-star ratings (3.722207) above the mixed
  // histogram (3.345487) above five 5-star ratings (3.164269).
  FormulaParameters parameters;
  parameters.star_scoring = StarScoring::kBayesianBound;
  const double ten_fives = StarBestScore(Stars(0, 0, 0, 0, 10), parameters);
  const double mixed = StarBestScore(Stars(25, 20, 75, 80, 60), parameters);
  const double five_fives = StarBestScore(Stars(0, 0, 0, 0, 5), parameters);
  EXPECT_NEAR(ten_fives, 3.722207, kTolerance);
  EXPECT_NEAR(mixed, 3.345487, kTolerance);
  EXPECT_NEAR(five_fives, 3.164269, kTolerance);
  EXPECT_GT(ten_fives, mixed);
  EXPECT_GT(mixed, five_fives);
}

TEST(RankingFormulaStarBestTest,
     BayesianBoundWithHugeUnanimousCountsApproachesTheRating) {
  FormulaParameters parameters;
  parameters.star_scoring = StarScoring::kBayesianBound;
  const double score =
      StarBestScore(Stars(0, 0, 0, 2'000'000'000'000, 0), parameters);
  EXPECT_TRUE(std::isfinite(score));
  EXPECT_NEAR(score, 4.0, 1e-5);
  EXPECT_LT(score, 4.0);
}

// --- top -------------------------------------------------------------------

TEST(RankingFormulaTopTest, NetScores) {
  EXPECT_EQ(TopScore({.ups = 7, .downs = 10}), -3);
  EXPECT_EQ(TopScore({}), 0);
  // Two 5-star and one 1-star: 11 − 3 × 3 = 2.
  EXPECT_EQ(StarTopScore(Stars(1, 0, 0, 0, 2)), 2);
  // Three stars are neutral, however many.
  EXPECT_EQ(StarTopScore(Stars(0, 0, 40, 0, 0)), 0);
  // 2-star: −1 each.
  EXPECT_EQ(StarTopScore(Stars(0, 3, 0, 0, 0)), -3);
}

// --- controversial -----------------------------------------------------------

TEST(RankingFormulaControversialTest, HandComputed) {
  const FormulaParameters defaults;  // 10 votes to enter
  // 50/50: balance 1, 100¹ = 100.
  EXPECT_THAT(ControversialScore({.ups = 50, .downs = 50}, defaults),
              Optional(DoubleNear(100.0, kTolerance)));
  // 10/1: balance 0.1, 11^0.1 = 1.270982.
  EXPECT_THAT(ControversialScore({.ups = 10, .downs = 1}, defaults),
              Optional(DoubleNear(1.270982, kTolerance)));
  // 900/100: 1000^(1/9) = 2.154435.
  EXPECT_THAT(ControversialScore({.ups = 100, .downs = 900}, defaults),
              Optional(DoubleNear(2.154435, kTolerance)));
}

TEST(RankingFormulaControversialTest, OneSidedVotesScoreZeroRatherThanOne) {
  // n^0 would be 1; the formula says 0.
  EXPECT_THAT(ControversialScore({.ups = 30, .downs = 0}, FormulaParameters{}),
              Optional(0.0));
  EXPECT_THAT(ControversialScore({.ups = 0, .downs = 30}, FormulaParameters{}),
              Optional(0.0));
}

TEST(RankingFormulaControversialTest, EntersTheBoardAtTheMinimumVotes) {
  FormulaParameters parameters;
  parameters.controversial_min_votes = 10;
  EXPECT_EQ(ControversialScore({.ups = 5, .downs = 4}, parameters),
            std::nullopt);
  EXPECT_THAT(ControversialScore({.ups = 5, .downs = 5}, parameters),
              Optional(DoubleNear(10.0, kTolerance)));
  // Off the board, the formula still has a value (ExplainRank shows it).
  EXPECT_NEAR(ControversyOf({.ups = 2, .downs = 2}), 4.0, kTolerance);
}

TEST(RankingFormulaControversialTest, EvenSplitsWithMoreVotesRankHigher) {
  const FormulaParameters defaults;
  EXPECT_GT(*ControversialScore({.ups = 100, .downs = 100}, defaults),
            *ControversialScore({.ups = 50, .downs = 50}, defaults));
  // An even split beats a lopsided board with ten times the votes.
  EXPECT_GT(*ControversialScore({.ups = 50, .downs = 50}, defaults),
            *ControversialScore({.ups = 900, .downs = 100}, defaults));
}

// --- trending ----------------------------------------------------------------

TEST(RankingFormulaTrendingTest, BrandNewPostIsComparedWithOnePseudoEvent) {
  // Defaults: recent 6 h, baseline 7 d − 6 h = 162 h.
  // Recent: 10 votes × 1 + 2 comments × 2 = 14 → 14/6 per hour.
  // Baseline: nothing, floored at 1 event → 1/162 per hour.
  // (14/6)/(1/162) = 378.
  const TrendingActivity activity{.recent = {.votes = 10, .comments = 2}};
  EXPECT_THAT(TrendingScore(activity, FormulaParameters{}),
              Optional(DoubleNear(378.0, kTolerance)));
}

TEST(RankingFormulaTrendingTest, SteadyActivityScoresAboutOne) {
  // One vote an hour: 6/6 = 1 now, (162 + 1)/162 before: 162/163 = 0.993865.
  const TrendingActivity activity{.recent = {.votes = 6},
                                  .baseline = {.votes = 162}};
  EXPECT_THAT(TrendingScore(activity, FormulaParameters{}),
              Optional(DoubleNear(0.993865, kTolerance)));
}

TEST(RankingFormulaTrendingTest, CustomWindowsAndWeights) {
  FormulaParameters parameters;
  parameters.trending_recent_window = absl::Hours(1);
  parameters.trending_baseline_window = absl::Hours(25);  // 24 h before
  parameters.trending_min_events = 1;
  // Recent: 4 × 1 + 1 × 2 + 6 × 0.5 = 9 in 1 h. Baseline: 20 + 4 × 2 +
  // 10 × 0.5 = 33, (33 + 1)/24 per hour. 9/(34/24) = 6.352941.
  const TrendingActivity activity{
      .recent = {.votes = 4, .comments = 1, .visitors = 6},
      .baseline = {.votes = 20, .comments = 4, .visitors = 10}};
  EXPECT_THAT(TrendingScore(activity, parameters),
              Optional(DoubleNear(6.352941, kTolerance)));
}

TEST(RankingFormulaTrendingTest, TheMinimumCountsUnweightedEvents) {
  FormulaParameters parameters;  // 5 events to enter
  // Five visitors weigh 2.5 but are five events.
  EXPECT_NE(TrendingScore({.recent = {.visitors = 5}}, parameters),
            std::nullopt);
  // Four votes and comments weigh 6 but are four events.
  EXPECT_EQ(TrendingScore({.recent = {.votes = 2, .comments = 2}}, parameters),
            std::nullopt);
  // Baseline events do not count towards the minimum.
  EXPECT_EQ(TrendingScore({.recent = {.votes = 1}, .baseline = {.votes = 500}},
                          parameters),
            std::nullopt);
}

TEST(RankingFormulaTrendingTest, ABurstOutranksTheSameActivitySpreadOut) {
  const FormulaParameters defaults;
  const TrendingActivity burst{.recent = {.votes = 30},
                               .baseline = {.votes = 10}};
  const TrendingActivity steady{.recent = {.votes = 30},
                                .baseline = {.votes = 800}};
  EXPECT_GT(*TrendingScore(burst, defaults), *TrendingScore(steady, defaults));
  // Weights of zero drop a kind of activity from the rate, not the count.
  FormulaParameters votes_only = defaults;
  votes_only.trending_comment_weight = 0;
  EXPECT_THAT(TrendingScore({.recent = {.comments = 6}}, votes_only),
              Optional(0.0));
}

// --- inputs ------------------------------------------------------------------

TEST(RankingFormulaInputsTest, CountsBelowZeroCountAsZeroAndNeverGiveNaN) {
  const FormulaParameters defaults;
  const UpDownVotes broken{.ups = -3, .downs = -8};
  EXPECT_EQ(BestScore(broken, defaults), 0.0);
  EXPECT_EQ(TopScore(broken), 0);
  EXPECT_EQ(ControversyOf(broken), 0.0);
  EXPECT_NEAR(HotScore(broken, kRedditEpoch, defaults), 0.0, kTolerance);
  FormulaParameters bound = defaults;
  bound.star_scoring = StarScoring::kBayesianBound;
  EXPECT_NEAR(StarBestScore(Stars(-1, -1, -1, -1, -1), bound), 1.868414,
              kTolerance);
  EXPECT_FALSE(std::isnan(TrendOf({.recent = {.votes = -4}}, defaults)));
}

// --- parameters --------------------------------------------------------------

TEST(RankingFormulaParametersTest, DefaultsAndRangeEndsAreValid) {
  EXPECT_TRUE(ValidateFormulaParameters(FormulaParameters{}).ok());
  FormulaParameters low;
  low.hot_gravity_seconds = 3600;
  low.best_confidence = 0.5;
  low.star_prior_mean = 1;
  low.star_prior_weight = 0;
  low.controversial_min_votes = 1;
  low.trending_recent_window = absl::Minutes(15);
  low.trending_baseline_window = absl::Minutes(16);
  low.trending_vote_weight = 0;
  low.trending_min_events = 1;
  low.contribution_weights.clear();
  EXPECT_TRUE(ValidateFormulaParameters(low).ok());
  FormulaParameters high;
  high.hot_gravity_seconds = 1000000;
  high.best_confidence = 0.999;
  high.star_scoring = StarScoring::kBayesianBound;
  high.star_prior_mean = 5;
  high.star_prior_weight = 1000;
  high.controversial_min_votes = 10000;
  high.trending_recent_window = absl::Hours(7 * 24);
  high.trending_baseline_window = absl::Hours(90 * 24);
  high.trending_comment_weight = 100;
  high.trending_min_events = 10000;
  high.contribution_weights = {{Contribution::kAcceptedAnswer, 100}};
  EXPECT_TRUE(ValidateFormulaParameters(high).ok());
}

TEST(RankingFormulaParametersTest, EachBadFieldIsNamed) {
  using Mutation = void (*)(FormulaParameters&);
  const std::vector<std::pair<Mutation, std::string>> cases = {
      {[](FormulaParameters& p) { p.hot_gravity_seconds = 3599; },
       "hot_gravity_seconds: must be between 3600 and 1000000"},
      {[](FormulaParameters& p) { p.hot_gravity_seconds = kNaN; },
       "hot_gravity_seconds: must be between 3600 and 1000000"},
      {[](FormulaParameters& p) { p.hot_gravity_seconds = 0; },
       "hot_gravity_seconds: must be between 3600 and 1000000"},
      {[](FormulaParameters& p) { p.hot_epoch = absl::InfiniteFuture(); },
       "hot_epoch: must be a finite time"},
      {[](FormulaParameters& p) { p.best_confidence = 1.0; },
       "best_confidence: must be between 0.5 and 0.999"},
      {[](FormulaParameters& p) { p.best_confidence = 0.49; },
       "best_confidence: must be between 0.5 and 0.999"},
      {[](FormulaParameters& p) {
         p.star_scoring = static_cast<StarScoring>(0);
       },
       "star_scoring: must be BAYESIAN_AVERAGE or BAYESIAN_BOUND"},
      {[](FormulaParameters& p) { p.star_prior_mean = 5.5; },
       "star_prior_mean: must be between 1 and 5"},
      {[](FormulaParameters& p) { p.star_prior_weight = -1; },
       "star_prior_weight: must be between 0 and 1000"},
      {[](FormulaParameters& p) { p.controversial_min_votes = 0; },
       "controversial_min_votes: must be between 1 and 10000"},
      {[](FormulaParameters& p) {
         p.trending_recent_window = absl::Minutes(14);
       },
       "trending_recent_window: must be between 15 minutes and 7 days"},
      {[](FormulaParameters& p) {
         p.trending_recent_window = absl::Hours(7 * 24) + absl::Seconds(1);
         p.trending_baseline_window = absl::Hours(30 * 24);
       },
       "trending_recent_window: must be between 15 minutes and 7 days"},
      {[](FormulaParameters& p) {
         p.trending_baseline_window = p.trending_recent_window;
       },
       "trending_baseline_window: must be longer than trending_recent_window "
       "and at most 90 days"},
      {[](FormulaParameters& p) {
         p.trending_baseline_window = absl::Hours(90 * 24 + 1);
       },
       "trending_baseline_window: must be longer than trending_recent_window "
       "and at most 90 days"},
      {[](FormulaParameters& p) { p.trending_vote_weight = 101; },
       "trending_vote_weight: must be between 0 and 100"},
      {[](FormulaParameters& p) { p.trending_comment_weight = -0.5; },
       "trending_comment_weight: must be between 0 and 100"},
      {[](FormulaParameters& p) { p.trending_visitor_weight = kNaN; },
       "trending_visitor_weight: must be between 0 and 100"},
      {[](FormulaParameters& p) { p.trending_min_events = 10001; },
       "trending_min_events: must be between 1 and 10000"},
      {[](FormulaParameters& p) {
         p.contribution_weights[2].contribution = static_cast<Contribution>(7);
       },
       "contribution_weights[2].contribution: must be a known contribution"},
      {[](FormulaParameters& p) {
         p.contribution_weights[4].contribution = Contribution::kPost;
       },
       "contribution_weights[4].contribution: already weighted by an earlier "
       "entry"},
      {[](FormulaParameters& p) { p.contribution_weights[1].weight = 100.5; },
       "contribution_weights[1].weight: must be between 0 and 100"},
  };
  for (const auto& [mutate, message] : cases) {
    FormulaParameters parameters;
    mutate(parameters);
    const absl::Status status = ValidateFormulaParameters(parameters);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << message;
    EXPECT_EQ(status.message(), message);
  }
}

// --- explanations ------------------------------------------------------------

TEST(RankingFormulaExplanationTest, HotTermsReproduceTheScore) {
  const FormulaParameters defaults;
  const UpDownVotes votes{.ups = 3, .downs = 250};
  const absl::Time t = absl::FromUnixSeconds(1704067200);
  const Explanation e = ExplainHot(votes, t, defaults);
  EXPECT_EQ(e.formula, kHotFormula);
  const double s = TermValue(e, "s");
  EXPECT_EQ(s, TermValue(e, "ups") - TermValue(e, "downs"));
  EXPECT_EQ(TermValue(e, "t"), 1704067200.0);
  EXPECT_EQ(TermValue(e, "t0"), 1134028003.0);
  EXPECT_EQ(TermValue(e, "gravity"), 45000.0);
  const double sign = s > 0 ? 1 : (s < 0 ? -1 : 0);
  const double recomputed =
      sign * std::log10(std::max(std::fabs(s), 1.0)) +
      (TermValue(e, "t") - TermValue(e, "t0")) / TermValue(e, "gravity");
  EXPECT_NEAR(recomputed, e.score, 1e-9);
  EXPECT_EQ(e.score, HotScore(votes, t, defaults));
  EXPECT_TRUE(e.on_board);
}

TEST(RankingFormulaExplanationTest, WilsonTermsReproduceTheScore) {
  FormulaParameters parameters;
  parameters.best_confidence = 0.9;
  const Explanation e = ExplainBest({.ups = 17, .downs = 4}, parameters);
  EXPECT_EQ(e.formula, kWilsonFormula);
  const double n = TermValue(e, "n");
  const double p = TermValue(e, "p");
  const double z = TermValue(e, "z");
  EXPECT_EQ(n, 21);
  EXPECT_NEAR(p, 17.0 / 21, 1e-12);
  EXPECT_EQ(TermValue(e, "confidence"), 0.9);
  EXPECT_NEAR(z, 1.644854, kTolerance);  // Φ⁻¹(0.95)
  const double recomputed =
      (p + z * z / (2 * n) -
       z * std::sqrt((p * (1 - p) + z * z / (4 * n)) / n)) /
      (1 + z * z / n);
  EXPECT_NEAR(recomputed, e.score, 1e-12);
  EXPECT_EQ(e.score, BestScore({.ups = 17, .downs = 4}, parameters));
}

TEST(RankingFormulaExplanationTest, BayesianBoundTermsReproduceTheScore) {
  FormulaParameters parameters;
  parameters.star_scoring = StarScoring::kBayesianBound;
  const StarHistogram histogram = Stars(3, 0, 7, 12, 30);
  const Explanation e = ExplainStarBest(histogram, parameters);
  EXPECT_EQ(e.formula, kBayesianBoundFormula);
  const double big_k = TermValue(e, "K");
  double mean = 0;
  double second = 0;
  double total = 0;
  for (int k = 1; k <= 5; ++k) {
    total += TermValue(e, "n_" + std::to_string(k));
  }
  for (int k = 1; k <= 5; ++k) {
    const double weight =
        (TermValue(e, "n_" + std::to_string(k)) + 1) / (total + big_k);
    mean += k * weight;
    second += k * k * weight;
  }
  EXPECT_EQ(TermValue(e, "N"), total);
  EXPECT_NEAR(TermValue(e, "mean"), mean, 1e-12);
  EXPECT_NEAR(TermValue(e, "second"), second, 1e-12);
  const double recomputed =
      mean - TermValue(e, "z") *
                 std::sqrt((second - mean * mean) / (total + big_k + 1));
  EXPECT_NEAR(recomputed, e.score, 1e-12);
  EXPECT_EQ(e.score, StarBestScore(histogram, parameters));
}

TEST(RankingFormulaExplanationTest,
     BayesianAverageAndTopTermsReproduceTheScore) {
  const StarHistogram histogram = Stars(1, 2, 0, 4, 3);
  const Explanation average = ExplainStarBest(histogram, FormulaParameters{});
  EXPECT_EQ(average.formula, kBayesianAverageFormula);
  EXPECT_NEAR(
      (TermValue(average, "prior_weight") * TermValue(average, "prior_mean") +
       TermValue(average, "rating_sum")) /
          (TermValue(average, "prior_weight") +
           TermValue(average, "rating_count")),
      average.score, 1e-12);
  const Explanation star_top = ExplainStarTop(histogram);
  EXPECT_EQ(star_top.formula, kStarTopFormula);
  // 1 + 4 + 16 + 15 = 36 stars over 10 ratings: 36 − 30 = 6.
  EXPECT_EQ(TermValue(star_top, "rating_sum") -
                3 * TermValue(star_top, "rating_count"),
            star_top.score);
  EXPECT_EQ(star_top.score, 6);
  const Explanation top = ExplainTop({.ups = 9, .downs = 2});
  EXPECT_EQ(TermValue(top, "ups") - TermValue(top, "downs"), top.score);
  EXPECT_TRUE(top.parameters.empty());
}

TEST(RankingFormulaExplanationTest,
     ControversialTermsReproduceTheScoreOnAndOffTheBoard) {
  const FormulaParameters defaults;
  const Explanation on =
      ExplainControversial({.ups = 30, .downs = 12}, defaults);
  EXPECT_TRUE(on.on_board);
  EXPECT_NEAR(std::pow(TermValue(on, "ups") + TermValue(on, "downs"),
                       TermValue(on, "balance")),
              on.score, 1e-12);
  EXPECT_EQ(on.score, *ControversialScore({.ups = 30, .downs = 12}, defaults));
  const Explanation off =
      ExplainControversial({.ups = 3, .downs = 3}, defaults);
  EXPECT_FALSE(off.on_board);
  EXPECT_EQ(TermValue(off, "min_votes"), 10);
  EXPECT_NEAR(off.score, 6.0, kTolerance);
}

TEST(RankingFormulaExplanationTest, TrendingTermsReproduceTheScore) {
  const FormulaParameters defaults;
  const TrendingActivity activity{
      .recent = {.votes = 3, .comments = 1, .visitors = 4},
      .baseline = {.votes = 40, .comments = 9, .visitors = 12}};
  const Explanation e = ExplainTrending(activity, defaults);
  const auto weighted = [&e](const std::string& window) {
    return TermValue(e, window + "_votes") * TermValue(e, "vote_weight") +
           TermValue(e, window + "_comments") * TermValue(e, "comment_weight") +
           TermValue(e, window + "_visitors") * TermValue(e, "visitor_weight");
  };
  EXPECT_NEAR(TermValue(e, "recent_weighted"), weighted("recent"), 1e-12);
  EXPECT_NEAR(TermValue(e, "baseline_weighted"), weighted("baseline"), 1e-12);
  EXPECT_EQ(TermValue(e, "recent_hours"), 6);
  EXPECT_EQ(TermValue(e, "baseline_hours"), 162);
  const double recent_rate =
      TermValue(e, "recent_weighted") / TermValue(e, "recent_hours");
  const double baseline_rate =
      (TermValue(e, "baseline_weighted") + 1) / TermValue(e, "baseline_hours");
  EXPECT_NEAR(TermValue(e, "recent_rate"), recent_rate, 1e-12);
  EXPECT_NEAR(TermValue(e, "baseline_rate"), baseline_rate, 1e-12);
  EXPECT_NEAR(recent_rate / baseline_rate, e.score, 1e-12);
  EXPECT_EQ(e.score, *TrendingScore(activity, defaults));
  // 3 + 1 + 4 = 8 recent events ≥ 5.
  EXPECT_TRUE(e.on_board);
  EXPECT_FALSE(ExplainTrending({.recent = {.votes = 4}}, defaults).on_board);
}

TEST(RankingFormulaExplanationTest,
     TermNamesAppearInTheFormulaWithinTheProtoLimits) {
  FormulaParameters bound;
  bound.star_scoring = StarScoring::kBayesianBound;
  const FormulaParameters defaults;
  const UpDownVotes votes{.ups = 4, .downs = 1};
  const std::vector<Explanation> explanations = {
      ExplainHot(votes, kRedditEpoch, defaults),
      ExplainBest(votes, defaults),
      ExplainStarBest(Stars(1, 1, 1, 1, 1), defaults),
      ExplainStarBest(Stars(1, 1, 1, 1, 1), bound),
      ExplainTop(votes),
      ExplainStarTop(Stars(1, 1, 1, 1, 1)),
      ExplainControversial(votes, defaults),
      ExplainTrending({.recent = {.votes = 1}}, defaults),
  };
  for (const Explanation& e : explanations) {
    EXPECT_FALSE(e.formula.empty());
    // Bytes bound code points from above.
    EXPECT_LE(e.formula.size(), 500u) << e.formula;
    EXPECT_FALSE(e.inputs.empty()) << e.formula;
    for (const auto* terms : {&e.inputs, &e.parameters}) {
      for (const Term& term : *terms) {
        EXPECT_THAT(e.formula, HasSubstr(term.name));
        EXPECT_GE(term.name.size(), 1u);
        EXPECT_LE(term.name.size(), 40u);
        EXPECT_LE(term.description.size(), 200u) << term.name;
        EXPECT_FALSE(term.description.empty()) << term.name;
        EXPECT_TRUE(std::isfinite(term.value)) << term.name;
      }
    }
  }
}

}  // namespace
}  // namespace agora::ranking::formulas
