// Check digits of the identifiers screening masks. A number is masked only
// when its check digits hold, which is what keeps amounts, dates and order
// numbers in clear. All functions take ASCII and refuse (return false, -1
// or '\0') anything of the wrong length or alphabet rather than guess.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_CHECKSUMS_H_
#define AGORA_SERVICES_MODERATION_SCREENING_CHECKSUMS_H_

#include <cstdint>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

// Luhn (ISO/IEC 7812) over all the digits, check digit last.
bool LuhnValid(absl::string_view digits);
// The digit that makes `digits` + digit Luhn-valid; -1 for non-digits.
int LuhnCheckDigit(absl::string_view digits);

// ISO 13616 mod-97 of an IBAN written compactly (country code, two check
// digits, BBAN; letters in either case): the remainder of the rearranged
// number, 1 for a valid IBAN; -1 for characters other than letters and
// digits.
int IbanMod97(absl::string_view iban);
// The two check digits (2-98) for `country` + `bban`; -1 when invalid input.
int IbanCheckDigits(absl::string_view country, absl::string_view bban);

// Key of a French NIR (social security number): 97 - (first 13 mod 97),
// where the department "2A"/"2B" (Corsica, case-insensitive) counts as 19/18
// in the number. -1 when `first13` is not 13 such characters.
int NirKey(absl::string_view first13);

// Check character of an Italian codice fiscale from its first 15 characters
// (uppercase letters and digits; omocodic letters allowed); '\0' otherwise.
char CodiceFiscaleCheckCharacter(absl::string_view first15);

// Polish PESEL: weights 1-3-7-9-1-3-7-9-1-3, check digit last.
bool PeselValid(absl::string_view digits);
// The check digit for 10 digits; -1 otherwise.
int PeselCheckDigit(absl::string_view digits10);

// Dutch BSN (and old sofinummer): the 11-test, 9 digits, not all zero.
bool BsnValid(absl::string_view digits);

// Check letter of a Spanish DNI number (0-99,999,999); NIE numbers count X,
// Y, Z in front as 0, 1, 2.
char DniLetter(uint32_t number);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_CHECKSUMS_H_
