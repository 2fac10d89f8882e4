// IBANs of the SEPA countries (iban_countries.h): country code, two check
// digits and the country's BBAN, in any case, compact or with single spaces
// or dashes anywhere between characters ("FR76 3000 6000 0112 3456 7890 189",
// "fr7630006000011234567890189"), the country's exact length, the BBAN
// structure and mod-97 = 1. Masked as the country code, "•••• " and the last
// four characters ("FR•••• 0189").
#ifndef AGORA_SERVICES_MODERATION_SCREENING_IBAN_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_IBAN_DETECTOR_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/text_tokens.h"

namespace agora::moderation::screening {

// Appends every IBAN of a folded text to `out`, and to
// `shaped` (when not null) every IBAN-shaped string whose check digits are
// wrong ("NL75 SPAZ 0671 7596 54"): the screener keeps other detectors
// from reading its pieces as a phone number or a card.
void FindIbans(const TextTokens& text, std::vector<Detection>* out,
               std::vector<Detection>* shaped = nullptr);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_IBAN_DETECTOR_H_
