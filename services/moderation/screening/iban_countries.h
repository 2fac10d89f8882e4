// The IBAN formats of the SEPA countries (SWIFT IBAN registry): length and
// BBAN structure, so a candidate is an IBAN only when every character is
// of the kind its country prescribes at that position and mod-97 holds.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_IBAN_COUNTRIES_H_
#define AGORA_SERVICES_MODERATION_SCREENING_IBAN_COUNTRIES_H_

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

struct IbanCountry {
  // ISO 3166 code, uppercase ("FR").
  absl::string_view code;
  // Total IBAN length, country code and check digits included.
  int length;
  // BBAN structure in the registry's notation: "5n5n11c2n" is 5 digits, 5
  // digits, 11 letters or digits, 2 digits ("a" is a letter).
  absl::string_view bban_format;
};

// The SEPA countries and territories with their own IBAN country code: the
// 27 EU members, Iceland, Liechtenstein, Norway, Switzerland, the United
// Kingdom, Monaco, San Marino, Vatican City, Andorra, Gibraltar, Albania,
// Montenegro, Moldova and North Macedonia. (French overseas departments,
// Åland, Jersey and the like use their parent country's code.)
const IbanCountry* FindIbanCountry(absl::string_view code);

// Every country of the table, for tests and documentation.
absl::string_view IbanCountryCodes();

// True when `bban` (uppercase) has the structure `format` describes.
bool MatchesBbanFormat(absl::string_view bban, absl::string_view format);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_IBAN_COUNTRIES_H_
