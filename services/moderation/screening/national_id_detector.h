// National identifiers, each recognised by its shape AND its check digits,
// masked as "••••••••" (nothing of an identifier is worth showing):
//
//   French NIR (numéro de sécurité sociale): 15 characters, sex 1-4/7/8,
//     month 01-12, 20-42 or 50-99, department digits or 2A/2B (Corsica),
//     key = 97 - (first 13 mod 97); compact or grouped 1-2-2-2-3-3-2 or
//     13+2.
//   Italian codice fiscale: 16 characters, 6 letters, birth year, month
//     letter, day (01-31, +40 for women), place, check character;
//     omocodic variants (digits replaced by LMNPQRSTUV) accepted.
//   Polish PESEL: 11 digits in one block, a valid month (century-coded) and
//     day, check digit with weights 1-3-7-9. Only for tenants in PL.
//   Dutch BSN: 9 digits in one block or 4.2.3 with dots, 11-test. Only for
//     tenants in NL (one random 9-digit number in 11 passes).
//   Spanish DNI (8 digits) and NIE (X/Y/Z and 7 digits), with their check
//     letter, glued or after a dash; the DNI digits may carry dots
//     (12.345.678-Z). A space before the letter is not accepted: "12345678
//     a" is a number followed by a word.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_NATIONAL_ID_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_NATIONAL_ID_DETECTOR_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/text_tokens.h"

namespace agora::moderation::screening {

inline constexpr absl::string_view kNationalIdMask =
    "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

// Each appends the identifiers of one kind found in a folded text.
void FindFrNirs(const TextTokens& text, std::vector<Detection>* out);
void FindItCodiciFiscali(const TextTokens& text, std::vector<Detection>* out);
void FindPlPesels(const TextTokens& text, std::vector<Detection>* out);
void FindNlBsns(const TextTokens& text, std::vector<Detection>* out);
void FindEsDniNies(const TextTokens& text, std::vector<Detection>* out);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_NATIONAL_ID_DETECTOR_H_
