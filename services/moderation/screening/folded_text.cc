#include "services/moderation/screening/folded_text.h"

#include <algorithm>

#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

FoldedText::FoldedText(absl::string_view original) {
  const size_t size = original.size();
  text_.reserve(size + 16);
  source_.reserve(size + 16);
  code_point_offsets_.reserve(size + 1);
  size_t pos = 0;
  uint32_t index = 0;  // == code_point_offsets_.size()
  while (pos < size) {
    if (static_cast<unsigned char>(original[pos]) < 0x80) {
      // A run of ASCII: one code point per byte, folded by table, in loops
      // the compiler can vectorise.
      size_t end = pos + 1;
      while (end < size && static_cast<unsigned char>(original[end]) < 0x80) {
        ++end;
      }
      const size_t count = end - pos;
      const size_t text_at = text_.size();
      text_.resize(text_at + count);
      source_.resize(text_at + count);
      code_point_offsets_.resize(index + count);
      for (size_t i = 0; i < count; ++i) {
        const unsigned char byte =
            static_cast<unsigned char>(original[pos + i]);
        uppercase_letters_ += static_cast<unsigned char>(byte - 'A') < 26;
        lowercase_letters_ += static_cast<unsigned char>(byte - 'a') < 26;
        text_[text_at + i] = FoldAscii(byte);
        source_[text_at + i] = index + static_cast<uint32_t>(i);
        code_point_offsets_[index + i] = static_cast<uint32_t>(pos + i);
      }
      index += static_cast<uint32_t>(count);
      pos = end;
      continue;
    }
    code_point_offsets_.push_back(static_cast<uint32_t>(pos));
    const size_t start = pos;
    const char32_t code_point = DecodeUtf8(original, &pos);
    if (code_point == kReplacementCharacter &&
        original.substr(start, pos - start) != "\xEF\xBF\xBD") {
      valid_utf8_ = false;
    }
    if (IsUppercaseLetter(code_point)) {
      ++uppercase_letters_;
    } else if (IsLowercaseLetter(code_point)) {
      ++lowercase_letters_;
    }
    const size_t before = text_.size();
    AppendFoldedCodePoint(code_point, &text_);
    source_.insert(source_.end(), text_.size() - before, index);
    ++index;
  }
  code_point_offsets_.push_back(static_cast<uint32_t>(size));
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
