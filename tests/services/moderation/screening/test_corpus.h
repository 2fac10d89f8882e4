// Generated test data for the screening tests: valid card numbers of each
// scheme and valid IBANs of every SEPA country, computed here independently
// of the engine (own prefix and country tables, own Luhn and mod-97), the
// ways members write them, and sentences to embed them in. Deterministic:
// the same seed gives the same corpus on every run and platform.
#ifndef AGORA_TESTS_SERVICES_MODERATION_SCREENING_TEST_CORPUS_H_
#define AGORA_TESTS_SERVICES_MODERATION_SCREENING_TEST_CORPUS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening::testing {

// SplitMix64: tiny, portable, deterministic (std::uniform_int_distribution
// differs between standard libraries).
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next();
  // Uniform in [0, bound).
  uint64_t Below(uint64_t bound) { return Next() % bound; }
  std::string Digits(size_t count);
  std::string Letters(size_t count);        // A-Z
  std::string Alphanumerics(size_t count);  // A-Z0-9

 private:
  uint64_t state_;
};

struct CardBrand {
  std::string name;
  std::string prefix;
  int length;
};

// One entry per scheme and length the engine must recognise.
std::vector<CardBrand> CardBrands();

// A Luhn-valid number of `brand`.
std::string GenerateCardNumber(const CardBrand& brand, Random& random);

// The Luhn check digit of `digits` (computed here, not by the engine).
char LuhnDigit(absl::string_view digits);

struct SepaCountry {
  std::string code;
  int length;
  std::string bban_format;  // "5n5n11c2n"
};

// The SEPA countries with their own IBAN code (41), from the SWIFT IBAN
// registry.
std::vector<SepaCountry> SepaCountries();

// A valid IBAN (compact, uppercase) of `country` with a random BBAN of the
// right format.
std::string GenerateIban(const SepaCountry& country, Random& random);

// The two check digits of an IBAN of `country` with `bban`.
std::string IbanCheckDigits(absl::string_view country, absl::string_view bban);

// Valid national identifiers with random fields, check digits computed
// here: French NIR (compact, 15 characters; `corsica` puts 2A/2B in the
// department), Polish PESEL, Dutch BSN, Italian codice fiscale, Spanish
// DNI and NIE.
std::string GenerateNir(Random& random, bool corsica = false);
std::string GeneratePesel(Random& random);
std::string GenerateBsn(Random& random);
std::string GenerateCodiceFiscale(Random& random);
std::string GenerateDni(Random& random);
std::string GenerateNie(Random& random);

// The NIR key of its first 13 characters (2A/2B counted as 19/18).
std::string NirKey(absl::string_view first13);

// Ways of writing a number.
enum class Writing {
  kCompact,    // 4973012345678901
  kSpaces,     // 4973 0123 4567 8901 (Amex 4-6-5)
  kDashes,     // 4973-0123-4567-8901
  kFullWidth,  // ４９７３ ０１２３ ... (full-width digits and letters)
  kFullWidthCompact,   // ４９７３０１２３...
  kArabicIndicDigits,  // ٤٩٧٣ ٠١٢٣ ...
  kNoBreakSpaces,      // groups separated by U+00A0
  kLowercase,          // IBANs: fr76 3000 ...
};
std::vector<Writing> CardWritings();
std::vector<Writing> IbanWritings();
absl::string_view WritingName(Writing writing);

// `compact` written as `writing`: cards in groups of 4 (Amex 4-6-5), IBANs
// in groups of 4.
std::string WriteCard(absl::string_view compact, Writing writing);
std::string WriteIban(absl::string_view compact, Writing writing);

// Each character of ASCII `text` as its full-width form (space stays).
std::string FullWidth(absl::string_view text);

// Sentences with one "{}" where a number goes, in French, Italian, Polish
// and Dutch, with accented letters and typographic punctuation around.
struct Sentence {
  std::string language;
  std::string text;
};
std::vector<Sentence> CardSentences();
std::vector<Sentence> IbanSentences();

// `sentence` with "{}" replaced by `value`.
std::string Fill(absl::string_view sentence, absl::string_view value);

// The `length` code points of `text` from code point `start`.
std::string CodePointSubstr(absl::string_view text, int start, int length);

}  // namespace agora::moderation::screening::testing

#endif  // AGORA_TESTS_SERVICES_MODERATION_SCREENING_TEST_CORPUS_H_
