#include "services/ranking/formulas/controversial.h"

#include <algorithm>
#include <cmath>

namespace agora::ranking::formulas {
namespace {

double BalanceOf(double ups, double downs) {
  if (ups == 0 || downs == 0) return 0;
  return std::min(ups, downs) / std::max(ups, downs);
}

bool OnBoard(const UpDownVotes& votes, const FormulaParameters& parameters) {
  // In double: two huge counts must not overflow an int64_t sum.
  return static_cast<double>(NonNegative(votes.ups)) +
             static_cast<double>(NonNegative(votes.downs)) >=
         static_cast<double>(parameters.controversial_min_votes);
}

}  // namespace

double ControversyOf(const UpDownVotes& votes) {
  const double ups = static_cast<double>(NonNegative(votes.ups));
  const double downs = static_cast<double>(NonNegative(votes.downs));
  // x^0 is 1, not the 0 the formula promises for one-sided votes.
  if (ups == 0 || downs == 0) return 0;
  return std::pow(ups + downs, BalanceOf(ups, downs));
}

std::optional<double> ControversialScore(const UpDownVotes& votes,
                                         const FormulaParameters& parameters) {
  if (!OnBoard(votes, parameters)) return std::nullopt;
  return ControversyOf(votes);
}

Explanation ExplainControversial(const UpDownVotes& votes,
                                 const FormulaParameters& parameters) {
  const double ups = static_cast<double>(NonNegative(votes.ups));
  const double downs = static_cast<double>(NonNegative(votes.downs));
  Explanation explanation;
  explanation.formula = kControversialFormula;
  explanation.inputs = {
      {"ups", ups, "Up votes counted"},
      {"downs", downs, "Down votes counted"},
      {"balance", BalanceOf(ups, downs),
       "Evenness of the split, min(ups, downs)/max(ups, downs)"},
  };
  explanation.parameters = {
      {"min_votes", static_cast<double>(parameters.controversial_min_votes),
       "Votes needed to enter the board (controversial_min_votes)"},
  };
  explanation.score = ControversyOf(votes);
  explanation.on_board = OnBoard(votes, parameters);
  return explanation;
}

}  // namespace agora::ranking::formulas
