#include "services/moderation/screening/pattern_prefilter.h"

#include <algorithm>
#include <numeric>

namespace agora::moderation::screening {
namespace {

// The set's memory; its DFA gets about two thirds of it, shared by all
// screening threads.
constexpr int64_t kSetMemory = 64 << 20;

}  // namespace

PatternPrefilter::PatternPrefilter() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_max_mem(kSetMemory);
  options.set_log_errors(false);
  set_ = std::make_unique<RE2::Set>(options, RE2::UNANCHORED);
}

int PatternPrefilter::Add(absl::string_view pattern, std::string* error) {
  const int index =
      set_->Add(re2::StringPiece(pattern.data(), pattern.size()), error);
  if (index >= 0) size_ = index + 1;
  return index;
}

bool PatternPrefilter::Compile() {
  compiled_ = size_ == 0 || set_->Compile();
  return compiled_;
}

std::vector<int> PatternPrefilter::Match(absl::string_view text) const {
  std::vector<int> matched;
  if (size_ == 0) return matched;
  RE2::Set::ErrorInfo error;
  if (!compiled_ || (!set_->Match(re2::StringPiece(text.data(), text.size()),
                                  &matched, &error) &&
                     error.kind != RE2::Set::kNoError)) {
    matched.resize(static_cast<size_t>(size_));
    std::iota(matched.begin(), matched.end(), 0);
    return matched;
  }
  std::sort(matched.begin(), matched.end());
  return matched;
}

bool Matched(const std::vector<int>& matched, int index) {
  return std::binary_search(matched.begin(), matched.end(), index);
}

}  // namespace agora::moderation::screening
