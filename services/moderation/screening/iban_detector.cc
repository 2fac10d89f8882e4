#include "services/moderation/screening/iban_detector.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/checksums.h"
#include "services/moderation/screening/iban_countries.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {

void FindIbans(const TextTokens& text, std::vector<Detection>* out,
               std::vector<Detection>* shaped) {
  const absl::string_view folded = text.text();
  const std::vector<Token>& tokens = text.tokens();
  const size_t size = folded.size();
  std::string iban;
  size_t t = 0;
  while (t < tokens.size()) {
    const size_t start = tokens[t].begin;
    const IbanCountry* country = nullptr;
    if (tokens[t].size() >= 4 && IsAsciiLower(folded[start]) &&
        IsAsciiLower(folded[start + 1]) && IsAsciiDigit(folded[start + 2]) &&
        IsAsciiDigit(folded[start + 3]) && !IsWordBefore(folded, start)) {
      const char code[2] = {AsciiUpper(folded[start]),
                            AsciiUpper(folded[start + 1])};
      country = FindIbanCountry(absl::string_view(code, 2));
    }
    if (country == nullptr) {
      ++t;
      continue;
    }
    iban.clear();
    size_t pos = start;
    while (pos < size && iban.size() < static_cast<size_t>(country->length)) {
      const char c = folded[pos];
      if (IsAsciiAlnum(c)) {
        iban.push_back(AsciiUpper(c));
        ++pos;
      } else if ((c == ' ' || c == '-') && pos + 1 < size &&
                 IsAsciiAlnum(folded[pos + 1])) {
        ++pos;
      } else {
        break;
      }
    }
    if (iban.size() != static_cast<size_t>(country->length) ||
        IsWordAt(folded, pos) ||
        !MatchesBbanFormat(absl::string_view(iban).substr(4),
                           country->bban_format)) {
      ++t;
      continue;
    }
    t = text.FirstTokenFrom(t + 1, pos);
    Detection detection;
    detection.begin = start;
    detection.end = pos;
    detection.type = FindingType::kIban;
    detection.rule = kIbanRule;
    if (IbanMod97(iban) != 1) {
      if (shaped != nullptr) shaped->push_back(std::move(detection));
      continue;
    }
    detection.mask = absl::StrCat(
        absl::string_view(iban).substr(0, 2), "\u2022\u2022\u2022\u2022 ",
        absl::string_view(iban).substr(iban.size() - 4));
    out->push_back(std::move(detection));
  }
}

}  // namespace agora::moderation::screening
