#include "services/moderation/screening/text_scanning.h"

#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

bool IsWordBefore(absl::string_view text, size_t pos) {
  if (pos == 0) return false;
  const unsigned char byte = static_cast<unsigned char>(text[pos - 1]);
  if (byte < 0x80) return IsAsciiAlnum(static_cast<char>(byte));
  size_t start = PreviousCodePointStart(text, pos);
  return IsWordCodePoint(DecodeUtf8(text, &start));
}

bool IsWordAt(absl::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  const unsigned char byte = static_cast<unsigned char>(text[pos]);
  if (byte < 0x80) return IsAsciiAlnum(static_cast<char>(byte));
  return IsWordCodePoint(DecodeUtf8(text, &pos));
}

bool ContinuesAsNumber(absl::string_view text, size_t pos) {
  return pos + 1 < text.size() &&
         (text[pos] == ',' || text[pos] == '.' || text[pos] == '/') &&
         IsAsciiDigit(text[pos + 1]);
}

bool ContinuesNumberBefore(absl::string_view text, size_t pos) {
  if (pos == 0) return false;
  const char before = text[pos - 1];
  if (before == '+') return true;
  return pos >= 2 && (before == ',' || before == '.' || before == '/') &&
         IsAsciiDigit(text[pos - 2]);
}

size_t SkipDigits(absl::string_view text, size_t pos) {
  while (pos < text.size() && IsAsciiDigit(text[pos])) ++pos;
  return pos;
}

}  // namespace agora::moderation::screening
