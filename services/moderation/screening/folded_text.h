// A text in its matching form (code_point_folding.h) with the map back to the
// original: detectors search the folded text, and masking must replace the
// member's own characters, so every folded byte knows the original code
// point it came from.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_FOLDED_TEXT_H_
#define AGORA_SERVICES_MODERATION_SCREENING_FOLDED_TEXT_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

// A half-open range [begin, end) of code points of the original text.
struct CodePointSpan {
  size_t begin = 0;
  size_t end = 0;
};

class FoldedText {
 public:
  // Folds `original`, which must be valid UTF-8 (see ToValidUtf8).
  explicit FoldedText(absl::string_view original);

  // The folded text: UTF-8, lowercase, mostly ASCII.
  const std::string& text() const { return text_; }

  // Number of code points of the original.
  size_t original_code_points() const { return code_point_offsets_.size() - 1; }

  // The original code points that produced the folded bytes [begin, end)
  // (begin < end <= text().size()). A span that ends inside the folding of
  // one code point ("ﬁ" → "fi") covers that whole code point; code points
  // that folded to nothing right after the span (combining accents, zero-width
  // spaces) are included, so masking leaves no stray mark behind.
  CodePointSpan OriginalSpan(size_t begin, size_t end) const;

  // The original code point index that produced folded byte `pos`.
  size_t OriginalCodePoint(size_t pos) const { return source_[pos]; }

  // Byte offset in the original of code point `index` (index <=
  // original_code_points(); the last one is the original's size).
  size_t OriginalByteOffset(size_t index) const {
    return code_point_offsets_[index];
  }

 private:
  std::string text_;
  // source_[i]: index of the original code point that produced text_[i].
  std::vector<uint32_t> source_;
  // code_point_offsets_[k]: byte offset of original code point k, plus one
  // final entry for the end.
  std::vector<uint32_t> code_point_offsets_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_FOLDED_TEXT_H_
