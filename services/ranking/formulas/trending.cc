#include "services/ranking/formulas/trending.h"

#include "absl/time/time.h"

namespace agora::ranking::formulas {
namespace {

// The pseudo-event that floors every baseline (see trending.h).
constexpr double kBaselineFloorEvents = 1;

double Weighted(const ActivityCounts& counts,
                const FormulaParameters& parameters) {
  return static_cast<double>(NonNegative(counts.votes)) *
             parameters.trending_vote_weight +
         static_cast<double>(NonNegative(counts.comments)) *
             parameters.trending_comment_weight +
         static_cast<double>(NonNegative(counts.visitors)) *
             parameters.trending_visitor_weight;
}

// In double: three huge counts must not overflow an int64_t sum.
double Unweighted(const ActivityCounts& counts) {
  return static_cast<double>(NonNegative(counts.votes)) +
         static_cast<double>(NonNegative(counts.comments)) +
         static_cast<double>(NonNegative(counts.visitors));
}

double RecentHours(const FormulaParameters& parameters) {
  return absl::ToDoubleHours(parameters.trending_recent_window);
}

double BaselineHours(const FormulaParameters& parameters) {
  return absl::ToDoubleHours(parameters.trending_baseline_window -
                             parameters.trending_recent_window);
}

struct Rates {
  double recent_weighted = 0;
  double recent_rate = 0;
  double baseline_weighted = 0;
  double baseline_rate = 0;
};

Rates RatesOf(const TrendingActivity& activity,
              const FormulaParameters& parameters) {
  Rates rates;
  rates.recent_weighted = Weighted(activity.recent, parameters);
  rates.recent_rate = rates.recent_weighted / RecentHours(parameters);
  rates.baseline_weighted = Weighted(activity.baseline, parameters);
  rates.baseline_rate = (rates.baseline_weighted + kBaselineFloorEvents) /
                        BaselineHours(parameters);
  return rates;
}

bool OnBoard(const TrendingActivity& activity,
             const FormulaParameters& parameters) {
  return Unweighted(activity.recent) >=
         static_cast<double>(parameters.trending_min_events);
}

}  // namespace

double TrendOf(const TrendingActivity& activity,
               const FormulaParameters& parameters) {
  const Rates rates = RatesOf(activity, parameters);
  return rates.recent_rate / rates.baseline_rate;
}

std::optional<double> TrendingScore(const TrendingActivity& activity,
                                    const FormulaParameters& parameters) {
  if (!OnBoard(activity, parameters)) return std::nullopt;
  return TrendOf(activity, parameters);
}

Explanation ExplainTrending(const TrendingActivity& activity,
                            const FormulaParameters& parameters) {
  const Rates rates = RatesOf(activity, parameters);
  Explanation explanation;
  explanation.formula = kTrendingFormula;
  explanation.inputs = {
      {"recent_votes", static_cast<double>(NonNegative(activity.recent.votes)),
       "Votes in the recent window"},
      {"recent_comments",
       static_cast<double>(NonNegative(activity.recent.comments)),
       "Comments in the recent window"},
      {"recent_visitors",
       static_cast<double>(NonNegative(activity.recent.visitors)),
       "Unique human visitors of shares in the recent window"},
      {"recent_weighted", rates.recent_weighted,
       "Weighted events in the recent window"},
      {"recent_rate", rates.recent_rate,
       "Weighted events per hour in the recent window"},
      {"baseline_votes",
       static_cast<double>(NonNegative(activity.baseline.votes)),
       "Votes in the baseline window before the recent one"},
      {"baseline_comments",
       static_cast<double>(NonNegative(activity.baseline.comments)),
       "Comments in the baseline window before the recent one"},
      {"baseline_visitors",
       static_cast<double>(NonNegative(activity.baseline.visitors)),
       "Unique human visitors in the baseline window before the recent one"},
      {"baseline_weighted", rates.baseline_weighted,
       "Weighted events in the baseline window before the recent one"},
      {"baseline_rate", rates.baseline_rate,
       "Weighted events per hour in the baseline, counting one pseudo-event"},
  };
  explanation.parameters = {
      {"vote_weight", parameters.trending_vote_weight,
       "Weight of a vote (trending_vote_weight)"},
      {"comment_weight", parameters.trending_comment_weight,
       "Weight of a comment (trending_comment_weight)"},
      {"visitor_weight", parameters.trending_visitor_weight,
       "Weight of a unique human visitor (trending_visitor_weight)"},
      {"recent_hours", RecentHours(parameters),
       "Length of the recent window (trending_recent_window)"},
      {"baseline_hours", BaselineHours(parameters),
       "Baseline window (trending_baseline_window) minus the recent window"},
      {"min_events", static_cast<double>(parameters.trending_min_events),
       "Recent events needed to enter the board (trending_min_events)"},
  };
  explanation.score = rates.recent_rate / rates.baseline_rate;
  explanation.on_board = OnBoard(activity, parameters);
  return explanation;
}

}  // namespace agora::ranking::formulas
