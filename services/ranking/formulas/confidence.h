// The z of a two-sided confidence level, shared by the Wilson bound and
// the Bayesian bound: z = Φ⁻¹(1 − (1 − c)/2), c = best_confidence.
#ifndef AGORA_SERVICES_RANKING_FORMULAS_CONFIDENCE_H_
#define AGORA_SERVICES_RANKING_FORMULAS_CONFIDENCE_H_

namespace agora::ranking::formulas {

// z for a confidence level in (0, 1): 0.95 → 1.959964, 0.5 → 0.674490,
// 0.999 → 3.290527. Outside (0, 1) the result is not finite (never thrown:
// validated parameters never get there).
double ZForConfidence(double confidence);

}  // namespace agora::ranking::formulas

#endif  // AGORA_SERVICES_RANKING_FORMULAS_CONFIDENCE_H_
