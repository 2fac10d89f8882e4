// Top: the net score. Up/down votes: ups − downs. Star ratings:
// rating_sum − 3 × rating_count, so each rating above three stars adds and
// each below subtracts (5 stars +2, 1 star −2) and a three-star rating is
// neutral, like an abstention.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_TOP_H_
#define AGORA_SERVICES_RANKING_FORMULAS_TOP_H_

#include <cstdint>

#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_inputs.h"

namespace agora::ranking::formulas {

inline constexpr char kTopFormula[] = "ups − downs";
inline constexpr char kStarTopFormula[] = "rating_sum − 3 × rating_count";

int64_t TopScore(const UpDownVotes& votes);
int64_t StarTopScore(const StarHistogram& histogram);

// Inputs ups, downs; no parameters.
Explanation ExplainTop(const UpDownVotes& votes);
// Inputs rating_sum, rating_count; no parameters.
Explanation ExplainStarTop(const StarHistogram& histogram);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_TOP_H_
