#include "services/moderation/screening/national_id_detector.h"

#include <string>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/checksums.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

Detection MakeDetection(size_t begin, size_t end, FindingType type,
                        absl::string_view rule) {
  Detection detection;
  detection.begin = begin;
  detection.end = end;
  detection.type = type;
  detection.rule = rule;
  detection.mask = static_cast<std::string>(kNationalIdMask);
  return detection;
}

// A number may start at `pos`: not glued to a word or another number.
bool StartsAtBoundary(absl::string_view text, size_t pos) {
  return !IsWordBefore(text, pos) && !ContinuesNumberBefore(text, pos);
}

bool EndsAtBoundary(absl::string_view text, size_t pos) {
  return !IsWordAt(text, pos) && !ContinuesAsNumber(text, pos);
}

int TwoDigits(absl::string_view text, size_t pos) {
  return (text[pos] - '0') * 10 + (text[pos + 1] - '0');
}

// --- French NIR ---

// Reads up to 15 NIR characters from `pos`, single spaces allowed between
// groups; returns the end and fills `compact` and the group sizes.
size_t ReadNir(absl::string_view text, size_t pos, std::string* compact,
               std::vector<size_t>* groups) {
  compact->clear();
  groups->clear();
  size_t group = 0;
  while (pos < text.size() && compact->size() < 15) {
    const char c = text[pos];
    const bool corsica = compact->size() == 6 && compact->back() == '2' &&
                         (c == 'a' || c == 'b');
    if (IsAsciiDigit(c) || corsica) {
      compact->push_back(c);
      ++group;
      ++pos;
    } else if (c == ' ' && group > 0 && pos + 1 < text.size() &&
               (IsAsciiDigit(text[pos + 1]) ||
                (compact->size() == 6 && compact->back() == '2'))) {
      groups->push_back(group);
      group = 0;
      ++pos;
    } else {
      break;
    }
  }
  if (group > 0) groups->push_back(group);
  return pos;
}

bool IsNirGrouping(const std::vector<size_t>& groups) {
  static const std::vector<size_t> kCompact = {15};
  static const std::vector<size_t> kKeyApart = {13, 2};
  static const std::vector<size_t> kPrinted = {1, 2, 2, 2, 3, 3, 2};
  return groups == kCompact || groups == kKeyApart || groups == kPrinted;
}

bool IsNir(absl::string_view nir) {
  const char sex = nir[0];
  if (sex != '1' && sex != '2' && sex != '3' && sex != '4' && sex != '7' &&
      sex != '8') {
    return false;
  }
  for (size_t i : {1, 2, 3, 4, 13, 14}) {
    if (!IsAsciiDigit(nir[i])) return false;
  }
  const int month = TwoDigits(nir, 3);
  if (!((month >= 1 && month <= 12) || (month >= 20 && month <= 42) ||
        (month >= 50 && month <= 99))) {
    return false;
  }
  return NirKey(nir.substr(0, 13)) == TwoDigits(nir, 13);
}

// --- Italian codice fiscale ---

bool IsOmocodicDigit(char c) {
  return IsAsciiDigit(c) ||
         absl::string_view("LMNPQRSTUV").find(c) != absl::string_view::npos;
}

int OmocodicValue(char c) {
  if (IsAsciiDigit(c)) return c - '0';
  return static_cast<int>(absl::string_view("LMNPQRSTUV").find(c));
}

bool IsCodiceFiscale(absl::string_view cf) {
  auto letter = [](char c) { return c >= 'A' && c <= 'Z'; };
  for (size_t i = 0; i < 6; ++i) {
    if (!letter(cf[i])) return false;
  }
  for (size_t i : {6, 7, 9, 10, 12, 13, 14}) {
    if (!IsOmocodicDigit(cf[i])) return false;
  }
  if (absl::string_view("ABCDEHLMPRST").find(cf[8]) ==
      absl::string_view::npos) {
    return false;
  }
  if (!letter(cf[11]) || !letter(cf[15])) return false;
  const int day = OmocodicValue(cf[9]) * 10 + OmocodicValue(cf[10]);
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return false;
  return CodiceFiscaleCheckCharacter(cf.substr(0, 15)) == cf[15];
}

// --- Polish PESEL ---

bool IsPesel(absl::string_view digits) {
  const int month = TwoDigits(digits, 2) % 20;
  const int day = TwoDigits(digits, 4);
  return month >= 1 && month <= 12 && TwoDigits(digits, 2) < 93 && day >= 1 &&
         day <= 31 && PeselValid(digits);
}

// --- Spanish DNI / NIE ---

bool IsDigitAt(absl::string_view text, size_t pos) {
  return pos < text.size() && IsAsciiDigit(text[pos]);
}

uint32_t DigitsValue(absl::string_view digits) {
  uint32_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint32_t>(c - '0');
  return value;
}

// Reads `count` digits at `pos`, allowing the dotted DNI grouping
// "12.345.678" when `dotted` is set; returns the end or 0.
size_t ReadDniDigits(absl::string_view text, size_t pos, size_t count,
                     bool dotted, std::string* digits) {
  digits->clear();
  if (dotted && count == 8 && pos + 10 <= text.size() && text[pos + 2] == '.' &&
      text[pos + 6] == '.') {
    for (size_t i : {0, 1, 3, 4, 5, 7, 8, 9}) {
      if (!IsAsciiDigit(text[pos + i])) return 0;
      digits->push_back(text[pos + i]);
    }
    return pos + 10;
  }
  for (size_t i = 0; i < count; ++i) {
    if (pos + i >= text.size() || !IsAsciiDigit(text[pos + i])) return 0;
    digits->push_back(text[pos + i]);
  }
  return pos + count;
}

// After the digits at `pos`: an optional dash and the check letter, then a
// boundary; returns the end or 0.
size_t ReadCheckLetter(absl::string_view text, size_t pos, char expected) {
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (pos >= text.size() || AsciiUpper(text[pos]) != expected ||
      !IsAsciiLower(text[pos])) {
    return 0;
  }
  ++pos;
  return IsWordAt(text, pos) ? 0 : pos;
}

}  // namespace

void FindFrNirs(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  const std::vector<Token>& tokens = text.tokens();
  std::string compact;
  std::vector<size_t> groups;
  size_t t = 0;
  while (t < tokens.size()) {
    const size_t pos = tokens[t].begin;
    if (IsAsciiDigit(folded[pos]) && StartsAtBoundary(folded, pos)) {
      const size_t end = ReadNir(folded, pos, &compact, &groups);
      if (compact.size() == 15 && IsNirGrouping(groups) &&
          EndsAtBoundary(folded, end) && IsNir(compact)) {
        out->push_back(
            MakeDetection(pos, end, FindingType::kNationalIdFrNir, kFrNirRule));
        t = text.FirstTokenFrom(t + 1, end);
        continue;
      }
    }
    ++t;
  }
}

void FindItCodiciFiscali(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  char upper[16];
  for (const Token& token : text.tokens()) {
    if (token.size() != 16 || IsWordBefore(folded, token.begin) ||
        IsWordAt(folded, token.end)) {
      continue;
    }
    for (size_t i = 0; i < 16; ++i) {
      upper[i] = AsciiUpper(folded[token.begin + i]);
    }
    if (IsCodiceFiscale(absl::string_view(upper, 16))) {
      out->push_back(MakeDetection(token.begin, token.end,
                                   FindingType::kNationalIdItCodiceFiscale,
                                   kItCodiceFiscaleRule));
    }
  }
}

void FindPlPesels(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  for (const Token& token : text.tokens()) {
    if (token.size() != 11 || SkipDigits(folded, token.begin) != token.end ||
        !StartsAtBoundary(folded, token.begin) ||
        !EndsAtBoundary(folded, token.end) || !IsPesel(text.TokenText(token))) {
      continue;
    }
    out->push_back(MakeDetection(
        token.begin, token.end, FindingType::kNationalIdPlPesel, kPlPeselRule));
  }
}

void FindNlBsns(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  std::string digits;
  for (const Token& token : text.tokens()) {
    const size_t pos = token.begin;
    size_t end = token.end;
    if (SkipDigits(folded, pos) != end || !StartsAtBoundary(folded, pos)) {
      continue;
    }
    digits.clear();
    if (end - pos == 9) {
      digits.assign(folded.data() + pos, 9);
    } else if (end - pos == 4 && end + 7 <= folded.size() &&
               folded[end] == '.' && folded[end + 3] == '.' &&
               SkipDigits(folded, end + 1) == end + 3 &&
               SkipDigits(folded, end + 4) == end + 7) {
      // 1234.56.782
      digits.assign(folded.data() + pos, 4);
      digits.append(folded.data() + end + 1, 2);
      digits.append(folded.data() + end + 4, 3);
      end += 7;
    }
    if (!digits.empty() && EndsAtBoundary(folded, end) && BsnValid(digits)) {
      out->push_back(
          MakeDetection(pos, end, FindingType::kNationalIdNlBsn, kNlBsnRule));
    }
  }
}

void FindEsDniNies(const TextTokens& text, std::vector<Detection>* out) {
  const absl::string_view folded = text.text();
  const std::vector<Token>& tokens = text.tokens();
  std::string digits;
  size_t t = 0;
  while (t < tokens.size()) {
    const size_t pos = tokens[t].begin;
    const char c = folded[pos];
    size_t end = 0;
    if ((c == 'x' || c == 'y' || c == 'z') && !IsWordBefore(folded, pos)) {
      // NIE: X/Y/Z, optional dash, 7 digits, check letter.
      size_t cursor = pos + 1;
      if (cursor < folded.size() && folded[cursor] == '-') ++cursor;
      const size_t digits_end =
          ReadDniDigits(folded, cursor, 7, /*dotted=*/false, &digits);
      if (digits_end != 0 && !IsDigitAt(folded, digits_end)) {
        const uint32_t number =
            static_cast<uint32_t>(c - 'x') * 10000000u + DigitsValue(digits);
        end = ReadCheckLetter(folded, digits_end, DniLetter(number));
      }
    } else if (IsAsciiDigit(c) && StartsAtBoundary(folded, pos)) {
      // DNI: 8 digits (or 12.345.678), optional dash, check letter.
      for (bool dotted : {false, true}) {
        const size_t digits_end =
            ReadDniDigits(folded, pos, 8, dotted, &digits);
        if (digits_end == 0 || IsDigitAt(folded, digits_end)) continue;
        end =
            ReadCheckLetter(folded, digits_end, DniLetter(DigitsValue(digits)));
        if (end != 0) break;
      }
    }
    if (end != 0) {
      out->push_back(MakeDetection(pos, end, FindingType::kNationalIdEsDniNie,
                                   kEsDniNieRule));
      t = text.FirstTokenFrom(t + 1, end);
    } else {
      ++t;
    }
  }
}

}  // namespace agora::moderation::screening
