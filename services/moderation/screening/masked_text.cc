#include "services/moderation/screening/masked_text.h"

#include <algorithm>

#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

MaskedText::MaskedText(absl::string_view original, const FoldedText& folded,
                       std::vector<Redaction> redactions) {
  std::sort(redactions.begin(), redactions.end(),
            [](const Redaction& a, const Redaction& b) {
              return a.span.begin < b.span.begin;
            });
  text_.reserve(original.size());
  size_t copied_to = 0;  // original code point index
  size_t masked_code_points = 0;
  for (const Redaction& redaction : redactions) {
    if (redaction.span.begin < copied_to ||
        redaction.span.end <= redaction.span.begin) {
      continue;
    }
    const size_t from = folded.OriginalByteOffset(copied_to);
    const size_t to = folded.OriginalByteOffset(redaction.span.begin);
    text_.append(original.data() + from, to - from);
    masked_code_points += redaction.span.begin - copied_to;
    Placed placed;
    placed.original_begin = redaction.span.begin;
    placed.original_end = redaction.span.end;
    placed.masked_begin = masked_code_points;
    text_ += redaction.mask;
    masked_code_points += CountCodePoints(redaction.mask);
    placed.masked_end = masked_code_points;
    placed_.push_back(placed);
    copied_to = redaction.span.end;
  }
  const size_t from = folded.OriginalByteOffset(copied_to);
  text_.append(original.data() + from, original.size() - from);
}

size_t MaskedText::Shift(size_t index) const {
  // The last redaction ending at or before `index` says how far later text
  // moved.
  auto after = std::upper_bound(
      placed_.begin(), placed_.end(), index,
      [](size_t value, const Placed& p) { return value < p.original_end; });
  if (after == placed_.begin()) return index;
  const Placed& last = *(after - 1);
  return last.masked_end + (index - last.original_end);
}

CodePointSpan MaskedText::MaskedSpan(CodePointSpan original) const {
  CodePointSpan masked{Shift(original.begin), Shift(original.end)};
  for (const Placed& p : placed_) {
    if (p.original_begin > original.end) break;
    if (original.begin >= p.original_begin && original.begin < p.original_end) {
      masked.begin = p.masked_begin;
    }
    if (original.end > p.original_begin && original.end <= p.original_end) {
      masked.end = p.masked_end;
    }
  }
  return masked;
}

}  // namespace agora::moderation::screening
