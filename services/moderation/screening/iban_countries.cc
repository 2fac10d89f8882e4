#include "services/moderation/screening/iban_countries.h"

namespace agora::moderation::screening {
namespace {

constexpr IbanCountry kCountries[] = {
    {"AD", 24, "4n4n12c"},     {"AL", 28, "8n16c"},
    {"AT", 20, "5n11n"},       {"BE", 16, "3n7n2n"},
    {"BG", 22, "4a4n2n8c"},    {"CH", 21, "5n12c"},
    {"CY", 28, "3n5n16c"},     {"CZ", 24, "4n6n10n"},
    {"DE", 22, "8n10n"},       {"DK", 18, "4n9n1n"},
    {"EE", 20, "2n2n11n1n"},   {"ES", 24, "4n4n1n1n10n"},
    {"FI", 18, "3n11n"},       {"FR", 27, "5n5n11c2n"},
    {"GB", 22, "4a6n8n"},      {"GI", 23, "4a15c"},
    {"GR", 27, "3n4n16c"},     {"HR", 21, "7n10n"},
    {"HU", 28, "3n4n1n15n1n"}, {"IE", 22, "4a6n8n"},
    {"IS", 26, "4n2n6n10n"},   {"IT", 27, "1a5n5n12c"},
    {"LI", 21, "5n12c"},       {"LT", 20, "5n11n"},
    {"LU", 20, "3n13c"},       {"LV", 21, "4a13c"},
    {"MC", 27, "5n5n11c2n"},   {"MD", 24, "2c18c"},
    {"ME", 22, "3n13n2n"},     {"MK", 19, "3n10c2n"},
    {"MT", 31, "4a5n18c"},     {"NL", 18, "4a10n"},
    {"NO", 15, "4n6n1n"},      {"PL", 28, "8n16n"},
    {"PT", 25, "4n4n11n2n"},   {"RO", 24, "4a16c"},
    {"SE", 24, "3n16n1n"},     {"SI", 19, "5n8n2n"},
    {"SK", 24, "4n6n10n"},     {"SM", 27, "1a5n5n12c"},
    {"VA", 22, "3n15n"},
};

}  // namespace

const IbanCountry* FindIbanCountry(absl::string_view code) {
  for (const IbanCountry& country : kCountries) {
    if (country.code == code) return &country;
  }
  return nullptr;
}

absl::string_view IbanCountryCodes() {
  return "AD AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT "
         "LI LT LU LV MC MD ME MK MT NL NO PL PT RO SE SI SK SM VA";
}

bool MatchesBbanFormat(absl::string_view bban, absl::string_view format) {
  size_t pos = 0;
  int count = 0;
  for (char c : format) {
    if (c >= '0' && c <= '9') {
      count = count * 10 + (c - '0');
      continue;
    }
    for (int i = 0; i < count; ++i, ++pos) {
      if (pos >= bban.size()) return false;
      const char b = bban[pos];
      const bool digit = b >= '0' && b <= '9';
      const bool letter = b >= 'A' && b <= 'Z';
      if (c == 'n' && !digit) return false;
      if (c == 'a' && !letter) return false;
      if (c == 'c' && !digit && !letter) return false;
    }
    count = 0;
  }
  return pos == bban.size();
}

}  // namespace agora::moderation::screening
