// Hot: Reddit's continuous form,
//   sign(s)·log10(max(|s|,1)) + (t − t0)/gravity,  s = ups − downs,
// t the publication time and t0 hot_epoch, both in seconds; gravity is
// hot_gravity_seconds. Every `gravity` seconds of recency are worth ten
// times the net votes, so a board sorted by it decays without rewriting old
// scores. Posts published before t0 score below zero on the time term; that
// is fine, only the order matters. The score is kept as a double, as the
// Redis sorted set stores it (about 13,000 today with the defaults, well
// within a double's precision).
#ifndef AGORA_SERVICES_RANKING_FORMULAS_HOT_H_
#define AGORA_SERVICES_RANKING_FORMULAS_HOT_H_

#include "absl/time/time.h"
#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking::formulas {

inline constexpr char kHotFormula[] =
    "sign(s)·log10(max(|s|,1)) + (t − t0)/gravity, s = ups − downs";

double HotScore(const UpDownVotes& votes, absl::Time publish_time,
                const FormulaParameters& parameters);

// Inputs ups, downs, s, t; parameters t0, gravity.
Explanation ExplainHot(const UpDownVotes& votes, absl::Time publish_time,
                       const FormulaParameters& parameters);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_HOT_H_
