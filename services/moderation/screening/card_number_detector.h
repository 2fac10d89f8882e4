// Payment card numbers: 13-19 digits, written in one block or in groups
// separated by spaces or dashes ("4973 0123 4567 8901", "3782-822463-10005"),
// Luhn-valid AND starting with a known issuer prefix of a length that issuer
// uses. Masked as "•••• " and the last four digits.
//
// Groups: every group has 3-6 digits except the last (1-6), all separated by
// the same character. The card is the whole run of groups or, when more
// digits follow, its longest valid beginning: "4973 0123 4567 8901 123" is
// a card followed by its security code, and masking it is the safe reading
// (a 19-digit reference whose first 16 digits form a valid card is masked
// too). A run right after "+" (a phone number) or glued to a word ("AT25
// 4329 ...", "CB4973...") is not a card.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_CARD_NUMBER_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_CARD_NUMBER_DETECTOR_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/text_tokens.h"

namespace agora::moderation::screening {

// True when `digits` (13-19 of them) starts with the prefix of a card scheme
// issuing numbers of that length: Visa (4; 13, 16, 19), Mastercard (51-55,
// 2221-2720; 16), American Express (34, 37; 15), Discover (6011, 644-649,
// 65, 622126-622925; 16-19), Diners Club (300-305, 3095, 36, 38-39;
// 14-19), JCB (3528-3589; 16-19), Maestro (5018, 5020, 5038, 5893, 6304,
// 6759, 6761-6763, 56-58; 13-19), UnionPay (62; 16-19), Mir (2200-2204;
// 16-19), Bancontact (6703; 16-19), Dankort (5019; 16). French "CB" cards
// are co-branded Visa or Mastercard and carry their prefixes.
bool HasCardIssuerPrefix(absl::string_view digits);

// Appends every card number of a folded text.
void FindCardNumbers(const TextTokens& text, std::vector<Detection>* out);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_CARD_NUMBER_DETECTOR_H_
