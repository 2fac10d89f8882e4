// Character classes and word boundaries on folded texts, shared by the
// detectors. Folded texts are lowercase and mostly ASCII; anything else is
// decoded and classified with ICU.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_TEXT_SCANNING_H_
#define AGORA_SERVICES_MODERATION_SCREENING_TEXT_SCANNING_H_

#include <cstddef>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAsciiLower(char c) { return c >= 'a' && c <= 'z'; }
inline bool IsAsciiAlnum(char c) { return IsAsciiDigit(c) || IsAsciiLower(c); }
inline char AsciiUpper(char c) {
  return IsAsciiLower(c) ? static_cast<char>(c - 'a' + 'A') : c;
}

// True when the code point ending just before byte `pos` is a letter, digit
// or combining mark (false at the start of the text).
bool IsWordBefore(absl::string_view text, size_t pos);

// True when the code point starting at byte `pos` is a letter, digit or
// combining mark (false at the end of the text).
bool IsWordAt(absl::string_view text, size_t pos);

// True when a number ending at `pos` continues as a decimal, date or
// thousands part (",5", ".50", "/2024"): what follows is not a boundary
// for a phone number or identifier.
bool ContinuesAsNumber(absl::string_view text, size_t pos);

// True when a number starting at `pos` continues one before it ("3,", "12.",
// "+") rather than starting at a boundary.
bool ContinuesNumberBefore(absl::string_view text, size_t pos);

// Index just past the run of ASCII digits starting at `pos`.
size_t SkipDigits(absl::string_view text, size_t pos);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_TEXT_SCANNING_H_
