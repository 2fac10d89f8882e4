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
  // Folds `original`. Ill-formed UTF-8 is folded as U+FFFD per bad byte,
  // and valid_utf8() says so: the caller then repairs the original
  // (ToValidUtf8) and folds that, so offsets match what it returns.
  explicit FoldedText(absl::string_view original);

  // False when the original held ill-formed UTF-8.
  bool valid_utf8() const { return valid_utf8_; }

  // Capital and small letters of the original (any script with case):
  // what folding erases and the shouting check needs, counted on the way.
  int uppercase_letters() const { return uppercase_letters_; }
  int lowercase_letters() const { return lowercase_letters_; }

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
  bool valid_utf8_ = true;
  int uppercase_letters_ = 0;
  int lowercase_letters_ = 0;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_FOLDED_TEXT_H_
