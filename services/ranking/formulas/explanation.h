// Why a post scores what it does, in the shape of
// agora.ranking.v1.RankExplanation's formula part: the formula as
// published, then every named number it uses. Each Explain* function
// returns terms from which the formula string reproduces `score`.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_EXPLANATION_H_
#define AGORA_SERVICES_RANKING_FORMULAS_EXPLANATION_H_

#include <string>
#include <vector>

namespace agora::ranking::formulas {

// A FormulaTerm: `name` as written in the formula (1-40 characters),
// `description` in English (at most 200 characters).
struct Term {
  std::string name;
  double value = 0;
  std::string description;
};

struct Explanation {
  std::string formula;  // 1-500 characters
  // The post's counts and times, then the intermediate values the formula
  // names (s, n, p, balance, ...).
  std::vector<Term> inputs;
  // The tenant's parameters used, and constants derived from them (z).
  std::vector<Term> parameters;
  // What the formula gives for these inputs.
  double score = 0;
  // False when the post stays off the board (controversial, trending
  // thresholds); `score` is still the formula's value.
  bool on_board = true;
};

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_EXPLANATION_H_
