// Shouting: a text written mostly in capitals, or punctuation hammered
// ("!!!", "???", "?!?!").
//   - Capitals: among the text's cased letters (any script that has case),
//     at least 20 letters and a share of capitals above the tenant's ratio
//     (default 0.7); one detection covering the whole text.
//   - Punctuation: every run of 3 or more "!" and "?" (full-width ones
//     included, through folding).
#ifndef AGORA_SERVICES_MODERATION_SCREENING_SHOUTING_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_SHOUTING_DETECTOR_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/folded_text.h"

namespace agora::moderation::screening {

inline constexpr int kMinShoutingLetters = 20;
inline constexpr int kMinShoutingPunctuation = 3;

// Appends the shouting in `folded` (whose letter counts are the
// original's).
void FindShouting(const FoldedText& folded, double uppercase_ratio,
                  std::vector<Detection>* out);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_SHOUTING_DETECTOR_H_
