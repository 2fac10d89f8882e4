// One pass over a folded text that says which of many RE2 patterns match
// somewhere in it. Screening has dozens of regular expressions (every
// tenant rule, the credential and staff phrases); running each over every
// post would read the text dozens of times. An RE2::Set reads it once, with
// one DFA, and only the patterns it reports are run again on their own to
// find where they matched — in the common case, none.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_PATTERN_PREFILTER_H_
#define AGORA_SERVICES_MODERATION_SCREENING_PATTERN_PREFILTER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "re2/set.h"

namespace agora::moderation::screening {

class PatternPrefilter {
 public:
  PatternPrefilter();
  PatternPrefilter(const PatternPrefilter&) = delete;
  PatternPrefilter& operator=(const PatternPrefilter&) = delete;

  // Adds `pattern` (RE2 syntax; matched case-insensitively, unanchored).
  // Returns its index, or -1 with RE2's description in `error`. Before
  // Compile only.
  int Add(absl::string_view pattern, std::string* error);

  // After the last Add. False when the patterns together do not compile
  // within the memory budget.
  bool Compile();

  // The indices, ascending, of the patterns that match somewhere in
  // `text`. If the DFA runs out of memory on `text`, every index: a
  // prefilter may be slow, never blind.
  std::vector<int> Match(absl::string_view text) const;

  int size() const { return size_; }

 private:
  std::unique_ptr<RE2::Set> set_;
  int size_ = 0;
  bool compiled_ = false;
};

// True when `index` is in `matched` (from Match).
bool Matched(const std::vector<int>& matched, int index);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_PATTERN_PREFILTER_H_
