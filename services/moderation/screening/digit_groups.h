// Numbers written in groups, "4973 0123 4567 8901" or "06.12.34.56.78": the
// shape card and phone detection read before checking the digits.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_DIGIT_GROUPS_H_
#define AGORA_SERVICES_MODERATION_SCREENING_DIGIT_GROUPS_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

struct DigitGroups {
  static constexpr size_t kMaxGroups = 12;

  size_t count = 0;
  // Folded byte range of each group's digits.
  size_t begin[kMaxGroups] = {};
  size_t end[kMaxGroups] = {};
  // separator[i] is the character between group i and group i + 1.
  char separator[kMaxGroups] = {};

  // Number of digits in groups first..last (inclusive).
  size_t DigitCount(size_t first, size_t last) const;
  // True when groups first..last are separated by one and the same
  // character (trivially true for one group).
  bool SameSeparator(size_t first, size_t last) const;
  // The digits of groups first..last, without separators.
  std::string Digits(absl::string_view text, size_t first, size_t last) const;
  size_t Size(size_t group) const { return end[group] - begin[group]; }
};

// The groups of ASCII digits starting at `pos` (a digit), each separated
// from the next by exactly one character of `separators`; at most
// kMaxGroups groups.
DigitGroups ReadDigitGroups(absl::string_view text, size_t pos,
                            absl::string_view separators);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_DIGIT_GROUPS_H_
