#include "services/moderation/domain/text_limits.h"

#include "absl/strings/str_cat.h"

namespace agora::moderation {
namespace {

// Code points, or -1 for invalid UTF-8 (bad lead byte, truncated sequence,
// stray continuation byte).
long CountCodePoints(absl::string_view text) {
  long count = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = text[i];
    const int length = c < 0x80           ? 1
                       : (c >> 5) == 0x6  ? 2
                       : (c >> 4) == 0xe  ? 3
                       : (c >> 3) == 0x1e ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return -1;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

}  // namespace

absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t min, size_t max) {
  const long count = CountCodePoints(text);
  if (count < 0)
    return absl::InvalidArgumentError(absl::StrCat(field, ": must be UTF-8"));
  if (static_cast<size_t>(count) < min || static_cast<size_t>(count) > max) {
    if (min == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": at most ", max, " characters"));
    }
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", min, "-", max, " characters"));
  }
  return absl::OkStatus();
}

}  // namespace agora::moderation
