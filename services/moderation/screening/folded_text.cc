#include "services/moderation/screening/folded_text.h"

#include <algorithm>

#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

FoldedText::FoldedText(absl::string_view original) {
  text_.reserve(original.size() + 16);
  source_.reserve(original.size() + 16);
  code_point_offsets_.reserve(original.size() + 1);
  size_t pos = 0;
  uint32_t index = 0;
  while (pos < original.size()) {
    code_point_offsets_.push_back(static_cast<uint32_t>(pos));
    const unsigned char byte = static_cast<unsigned char>(original[pos]);
    char32_t code_point;
    if (byte < 0x80) {
      code_point = byte;
      ++pos;
    } else {
      code_point = DecodeUtf8(original, &pos);
    }
    const size_t before = text_.size();
    AppendFoldedCodePoint(code_point, &text_);
    source_.insert(source_.end(), text_.size() - before, index);
    ++index;
  }
  code_point_offsets_.push_back(static_cast<uint32_t>(original.size()));
}

CodePointSpan FoldedText::OriginalSpan(size_t begin, size_t end) const {
  CodePointSpan span;
  span.begin = source_[begin];
  const size_t last = source_[end - 1];
  if (end < source_.size()) {
    span.end = std::max<size_t>(last + 1, source_[end]);
  } else {
    span.end = original_code_points();
  }
  return span;
}

}  // namespace agora::moderation::screening
