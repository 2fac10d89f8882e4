#include "services/moderation/screening/card_number_detector.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/checksums.h"
#include "services/moderation/screening/digit_groups.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

struct IssuerRange {
  int prefix_digits;  // how many leading digits `low`..`high` cover
  int low;
  int high;
  int min_length;
  int max_length;
  bool only_16_or_13_or_19;  // Visa's lengths
};

constexpr IssuerRange kIssuerRanges[] = {
    {1, 4, 4, 13, 19, true},             // Visa
    {2, 51, 55, 16, 16, false},          // Mastercard
    {4, 2221, 2720, 16, 16, false},      // Mastercard 2-series
    {2, 34, 34, 15, 15, false},          // American Express
    {2, 37, 37, 15, 15, false},          // American Express
    {4, 6011, 6011, 16, 19, false},      // Discover
    {3, 644, 649, 16, 19, false},        // Discover
    {2, 65, 65, 16, 19, false},          // Discover
    {6, 622126, 622925, 16, 19, false},  // Discover (China UnionPay co-brand)
    {3, 300, 305, 14, 19, false},        // Diners Club
    {4, 3095, 3095, 14, 19, false},      // Diners Club
    {2, 36, 36, 14, 19, false},          // Diners Club
    {2, 38, 39, 14, 19, false},          // Diners Club
    {4, 3528, 3589, 16, 19, false},      // JCB
    {4, 5018, 5018, 13, 19, false},      // Maestro
    {4, 5020, 5020, 13, 19, false},      // Maestro
    {4, 5038, 5038, 13, 19, false},      // Maestro
    {4, 5893, 5893, 13, 19, false},      // Maestro
    {4, 6304, 6304, 13, 19, false},      // Maestro
    {4, 6759, 6759, 13, 19, false},      // Maestro
    {4, 6761, 6763, 13, 19, false},      // Maestro
    {2, 56, 58, 13, 19, false},          // Maestro
    {2, 62, 62, 16, 19, false},          // UnionPay
    {4, 2200, 2204, 16, 19, false},      // Mir
    {4, 6703, 6703, 16, 19, false},      // Bancontact
    {4, 5019, 5019, 16, 16, false},      // Dankort
};

int LeadingNumber(absl::string_view digits, int count) {
  int value = 0;
  for (int i = 0; i < count; ++i) value = value * 10 + (digits[i] - '0');
  return value;
}

bool IsCardNumber(absl::string_view digits) {
  return HasCardIssuerPrefix(digits) && LuhnValid(digits);
}

}  // namespace

bool HasCardIssuerPrefix(absl::string_view digits) {
  const int length = static_cast<int>(digits.size());
  if (length < 13 || length > 19) return false;
  for (const IssuerRange& range : kIssuerRanges) {
    if (length < range.min_length || length > range.max_length) continue;
    if (range.only_16_or_13_or_19 && length != 13 && length != 16 &&
        length != 19) {
      continue;
    }
    const int prefix = LeadingNumber(digits, range.prefix_digits);
    if (prefix >= range.low && prefix <= range.high) return true;
  }
  return false;
}

void FindCardNumbers(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  const std::vector<Token>& tokens = text.tokens();
  size_t t = 0;
  while (t < tokens.size()) {
    const size_t pos = tokens[t].begin;
    if (!IsAsciiDigit(folded[pos])) {
      ++t;
      continue;
    }
    const DigitGroups groups = ReadDigitGroups(folded, pos, " -");
    const size_t last_group = groups.count - 1;
    const size_t run_end = groups.end[last_group];
    t = text.FirstTokenFrom(t + 1, run_end);
    // Glued to a word ("AT25 4329 ...", an IBAN-like token) or after "+"
    // (a phone number): no part of the run is a card.
    if (IsWordBefore(folded, pos) || (pos > 0 && folded[pos - 1] == '+')) {
      continue;
    }
    // The card is the run, or its beginning when more digits follow (a
    // card number followed by its security code, "4973 0123 4567 8901
    // 123"). A run glued to letters at its end ("8901abc") cannot end
    // there.
    const bool run_ends_at_boundary = !IsWordAt(folded, run_end);
    for (size_t last = groups.count; last-- > 0;) {
      if (last == last_group && !run_ends_at_boundary) continue;
      const size_t digits = groups.DigitCount(0, last);
      if (digits < 13 || digits > 19) continue;
      if (last > 0) {
        if (!groups.SameSeparator(0, last)) continue;
        bool shaped = groups.Size(last) <= 6;
        for (size_t g = 0; g < last && shaped; ++g) {
          shaped = groups.Size(g) >= 3 && groups.Size(g) <= 6;
        }
        if (!shaped) continue;
      }
      const std::string number = groups.Digits(folded, 0, last);
      if (!IsCardNumber(number)) continue;
      Detection detection;
      detection.begin = groups.begin[0];
      detection.end = groups.end[last];
      detection.type = FindingType::kCardNumber;
      detection.rule = kCardNumberRule;
      detection.mask =
          absl::StrCat("\u2022\u2022\u2022\u2022 ",
                       absl::string_view(number).substr(number.size() - 4));
      out->push_back(std::move(detection));
      break;
    }
  }
}

}  // namespace agora::moderation::screening
