#include "services/ranking/formulas/hot.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace agora::ranking::formulas {
namespace {

// sign(s)·log10(max(|s|,1)), with |s| taken in double.
double SignedOrder(int64_t s) {
  const double order =
      std::log10(std::max(std::fabs(static_cast<double>(s)), 1.0));
  return s < 0 ? -order : order;
}

}  // namespace

double HotScore(const UpDownVotes& votes, absl::Time publish_time,
                const FormulaParameters& parameters) {
  const int64_t s = NonNegative(votes.ups) - NonNegative(votes.downs);
  const double age_seconds =
      absl::ToDoubleSeconds(publish_time - parameters.hot_epoch);
  return SignedOrder(s) + age_seconds / parameters.hot_gravity_seconds;
}

Explanation ExplainHot(const UpDownVotes& votes, absl::Time publish_time,
                       const FormulaParameters& parameters) {
  const int64_t ups = NonNegative(votes.ups);
  const int64_t downs = NonNegative(votes.downs);
  Explanation explanation;
  explanation.formula = kHotFormula;
  explanation.inputs = {
      {"ups", static_cast<double>(ups), "Up votes counted"},
      {"downs", static_cast<double>(downs), "Down votes counted"},
      {"s", static_cast<double>(ups - downs), "Net score, ups − downs"},
      {"t", absl::ToDoubleSeconds(publish_time - absl::UnixEpoch()),
       "Publication time, seconds since 1970-01-01T00:00:00Z"},
  };
  explanation.parameters = {
      {"t0", absl::ToDoubleSeconds(parameters.hot_epoch - absl::UnixEpoch()),
       "Epoch of the time term (hot_epoch), seconds since 1970"},
      {"gravity", parameters.hot_gravity_seconds,
       "Seconds of recency worth a tenfold score (hot_gravity_seconds)"},
  };
  explanation.score = HotScore(votes, publish_time, parameters);
  return explanation;
}

}  // namespace agora::ranking::formulas
