#include "services/ranking/formulas/top.h"

namespace agora::ranking::formulas {

int64_t TopScore(const UpDownVotes& votes) {
  return NonNegative(votes.ups) - NonNegative(votes.downs);
}

int64_t StarTopScore(const StarHistogram& histogram) {
  return RatingSum(histogram) - 3 * RatingCount(histogram);
}

Explanation ExplainTop(const UpDownVotes& votes) {
  Explanation explanation;
  explanation.formula = kTopFormula;
  explanation.inputs = {
      {"ups", static_cast<double>(NonNegative(votes.ups)), "Up votes counted"},
      {"downs", static_cast<double>(NonNegative(votes.downs)),
       "Down votes counted"},
  };
  explanation.score = static_cast<double>(TopScore(votes));
  return explanation;
}

Explanation ExplainStarTop(const StarHistogram& histogram) {
  Explanation explanation;
  explanation.formula = kStarTopFormula;
  explanation.inputs = {
      {"rating_sum", static_cast<double>(RatingSum(histogram)),
       "Sum of the stars given"},
      {"rating_count", static_cast<double>(RatingCount(histogram)),
       "Star ratings counted"},
  };
  explanation.score = static_cast<double>(StarTopScore(histogram));
  return explanation;
}

}  // namespace agora::ranking::formulas
