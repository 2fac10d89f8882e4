// Trending: how much faster a post draws activity now than it did before.
//   weighted      = votes × vote_weight + comments × comment_weight
//                   + visitors × visitor_weight
//   recent_rate   = recent_weighted / recent_hours
//   baseline_rate = (baseline_weighted + 1) / baseline_hours
//   score         = recent_rate / baseline_rate
// recent_hours is trending_recent_window; baseline_hours is the rest of
// trending_baseline_window before it (7 days − 6 hours = 162 by default),
// so the recent burst does not also inflate the baseline it is compared to.
//
// The + 1 is the floor: every baseline holds at least one weighted event
// (one vote at the default weights). A brand-new post, or one quiet all
// week, is compared with a post that drew one event in its whole baseline
// instead of dividing by zero; unlike max(baseline_weighted, 1) the score
// keeps falling as baseline activity grows, so quiet posts do not tie; and
// for a post with real history the pseudo-event is noise (steady activity
// of one vote an hour scores 0.994, not 1).
//
// A post is on the board only when its unweighted recent events (votes +
// comments + visitors) reach trending_min_events, so a single vote on a
// silent post cannot make it trend.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_TRENDING_H_
#define AGORA_SERVICES_RANKING_FORMULAS_TRENDING_H_

#include <optional>

#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking::formulas {

inline constexpr char kTrendingFormula[] =
    "recent_rate/baseline_rate, recent_rate = recent_weighted/recent_hours, "
    "baseline_rate = (baseline_weighted + 1)/baseline_hours, recent_weighted "
    "= recent_votes × vote_weight + recent_comments × comment_weight + "
    "recent_visitors × visitor_weight, baseline_weighted likewise from "
    "baseline_votes, baseline_comments, baseline_visitors; on the board when "
    "recent_votes + recent_comments + recent_visitors ≥ min_events";

// The formula's value, whatever the event count.
double TrendOf(const TrendingActivity& activity,
               const FormulaParameters& parameters);

// The board score, or nullopt while the recent events number fewer than
// trending_min_events (the post is not on the board).
std::optional<double> TrendingScore(const TrendingActivity& activity,
                                    const FormulaParameters& parameters);

// Inputs recent_votes, recent_comments, recent_visitors, recent_weighted,
// recent_rate, baseline_votes, baseline_comments, baseline_visitors,
// baseline_weighted, baseline_rate; parameters vote_weight,
// comment_weight, visitor_weight, recent_hours, baseline_hours,
// min_events. `on_board` as TrendingScore.
Explanation ExplainTrending(const TrendingActivity& activity,
                            const FormulaParameters& parameters);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_TRENDING_H_
