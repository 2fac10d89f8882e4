// UTF-8 decoding and encoding for the screening engine. Screening reports
// offsets in code points, so it walks texts code point by code point; these
// functions do it without allocating and never read past the end.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_UTF8_H_
#define AGORA_SERVICES_MODERATION_SCREENING_UTF8_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// The code point starting at text[*pos], advancing *pos past it. Overlong
// forms, surrogates, values above U+10FFFF and truncated sequences decode as
// U+FFFD and advance by one byte, so every byte is consumed exactly once.
// Requires *pos < text.size().
char32_t DecodeUtf8(absl::string_view text, size_t* pos);

// Appends the UTF-8 encoding of `code_point` (U+FFFD for invalid values).
void AppendUtf8(char32_t code_point, std::string* out);

// Number of code points in `text`, decoding as DecodeUtf8 does.
size_t CountCodePoints(absl::string_view text);

// True when `text` is well-formed UTF-8.
bool IsValidUtf8(absl::string_view text);

// `text` with every ill-formed sequence replaced by U+FFFD: what screening
// returns is always valid UTF-8 (protobuf refuses anything else).
std::string ToValidUtf8(absl::string_view text);

// The start of the code point that ends just before byte `pos` of a valid
// UTF-8 `text` (pos > 0).
size_t PreviousCodePointStart(absl::string_view text, size_t pos);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_UTF8_H_
