// The member's text with personal data replaced by masks, and the map from
// the original's code points to the masked text's, so every finding can be
// reported where it is in what the service stores.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_MASKED_TEXT_H_
#define AGORA_SERVICES_MODERATION_SCREENING_MASKED_TEXT_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/folded_text.h"

namespace agora::moderation::screening {

// Original code points [span.begin, span.end) to replace by `mask`.
struct Redaction {
  CodePointSpan span;
  std::string mask;
};

class MaskedText {
 public:
  // `original` is the text `folded` was built from. Redactions overlapping
  // an earlier one (by span.begin) are ignored.
  MaskedText(absl::string_view original, const FoldedText& folded,
             std::vector<Redaction> redactions);

  // Everything outside the redactions byte for byte, each redaction's mask
  // in its place.
  const std::string& text() const { return text_; }

  // The masked code points [begin, end) that show original code points
  // [span.begin, span.end): a redacted span becomes its mask; a span
  // starting or ending inside a redaction is widened to the whole mask.
  CodePointSpan MaskedSpan(CodePointSpan original) const;

 private:
  struct Placed {
    size_t original_begin;
    size_t original_end;
    size_t masked_begin;
    size_t masked_end;
  };

  // Masked position of original code point `index` outside any redaction.
  size_t Shift(size_t index) const;

  std::string text_;
  std::vector<Placed> placed_;  // by original_begin
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_MASKED_TEXT_H_
