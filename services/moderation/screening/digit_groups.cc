#include "services/moderation/screening/digit_groups.h"

#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {

size_t DigitGroups::DigitCount(size_t first, size_t last) const {
  size_t digits = 0;
  for (size_t i = first; i <= last; ++i) digits += Size(i);
  return digits;
}

bool DigitGroups::SameSeparator(size_t first, size_t last) const {
  for (size_t i = first + 1; i < last; ++i) {
    if (separator[i] != separator[first]) return false;
  }
  return true;
}

std::string DigitGroups::Digits(absl::string_view text, size_t first,
                                size_t last) const {
  std::string digits;
  digits.reserve(DigitCount(first, last));
  for (size_t i = first; i <= last; ++i) {
    digits.append(text.data() + begin[i], Size(i));
  }
  return digits;
}

DigitGroups ReadDigitGroups(absl::string_view text, size_t pos,
                            absl::string_view separators) {
  DigitGroups groups;
  while (groups.count < DigitGroups::kMaxGroups) {
    groups.begin[groups.count] = pos;
    pos = SkipDigits(text, pos);
    groups.end[groups.count] = pos;
    ++groups.count;
    if (pos + 1 < text.size() &&
        separators.find(text[pos]) != absl::string_view::npos &&
        IsAsciiDigit(text[pos + 1])) {
      groups.separator[groups.count - 1] = text[pos];
      ++pos;
    } else {
      break;
    }
  }
  return groups;
}

}  // namespace agora::moderation::screening
