#include "services/moderation/screening/folded_text.h"

#include <algorithm>

#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

FoldedText::FoldedText(absl::string_view original) {
  const size_t size = original.size();
  // Sized once for the common case (one folded byte per original byte) and
  // written by index; grown only when a code point folds longer than it is.
  text_.resize(size);
  source_.resize(size);
  code_point_offsets_.resize(size + 1);
  size_t written = 0;
  std::string folded;  // one non-ASCII code point's folding
  size_t pos = 0;
  uint32_t index = 0;
  while (pos < size) {
    const unsigned char byte = static_cast<unsigned char>(original[pos]);
    if (byte < 0x80) {
      uppercase_letters_ += static_cast<unsigned char>(byte - 'A') < 26;
      lowercase_letters_ += static_cast<unsigned char>(byte - 'a') < 26;
      text_[written] = FoldAscii(byte);
      source_[written] = index;
      code_point_offsets_[index] = static_cast<uint32_t>(pos);
      ++written;
      ++index;
      ++pos;
      continue;
    }
    code_point_offsets_[index] = static_cast<uint32_t>(pos);
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
    folded.clear();
    AppendFoldedCodePoint(code_point, &folded);
    // Room for this folding and one byte per original byte left, which is
    // all the ASCII path needs.
    const size_t needed = written + folded.size() + (size - pos);
    if (needed > text_.size()) {
      const size_t grown = std::max(text_.size() * 2, needed);
      text_.resize(grown);
      source_.resize(grown);
    }
    for (char c : folded) {
      text_[written] = c;
      source_[written] = index;
      ++written;
    }
    ++index;
  }
  text_.resize(written);
  source_.resize(written);
  code_point_offsets_.resize(index + 1);
  code_point_offsets_[index] = static_cast<uint32_t>(size);
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
