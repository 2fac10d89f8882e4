#include "services/moderation/screening/text_tokens.h"

#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {

TextTokens::TextTokens(absl::string_view folded) : text_(folded) {
  tokens_.reserve(folded.size() / 4 + 1);
  const size_t size = folded.size();
  size_t pos = 0;
  while (pos < size) {
    if (!IsAsciiAlnum(folded[pos])) {
      ++pos;
      continue;
    }
    const size_t begin = pos;
    while (pos < size && IsAsciiAlnum(folded[pos])) ++pos;
    tokens_.push_back(
        Token{static_cast<uint32_t>(begin), static_cast<uint32_t>(pos)});
  }
}

size_t TextTokens::FirstTokenFrom(size_t from, size_t pos) const {
  while (from < tokens_.size() && tokens_[from].begin < pos) ++from;
  return from;
}

}  // namespace agora::moderation::screening
