// Controversial: many votes, evenly split (Reddit's form):
//   (ups + downs)^balance, balance = min(ups, downs)/max(ups, downs),
// 0 when ups or downs is 0. An even split scores the vote count itself;
// a lopsided one shrinks towards 1. A post is on the board only from
// controversial_min_votes votes (ups + downs), so two votes, one each way,
// do not top it.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_CONTROVERSIAL_H_
#define AGORA_SERVICES_RANKING_FORMULAS_CONTROVERSIAL_H_

#include <optional>

#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking::formulas {

inline constexpr char kControversialFormula[] =
    "(ups + downs)^balance, balance = min(ups, downs)/max(ups, downs); 0 "
    "when ups or downs is 0; on the board when ups + downs ≥ min_votes";

// The formula's value, whatever the vote count.
double ControversyOf(const UpDownVotes& votes);

// The board score, or nullopt while ups + downs < controversial_min_votes
// (the post is not on the board).
std::optional<double> ControversialScore(const UpDownVotes& votes,
                                         const FormulaParameters& parameters);

// Inputs ups, downs, balance; parameter min_votes. `on_board` as
// ControversialScore.
Explanation ExplainControversial(const UpDownVotes& votes,
                                 const FormulaParameters& parameters);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_CONTROVERSIAL_H_
