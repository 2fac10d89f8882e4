// The runs of ASCII letters and digits of a folded text ("fr76", "4973",
// "www", "bnpparibas"), found once per text. Every number, identifier and
// domain screening looks for starts at one of them, so each detector visits
// the few dozen runs of a post instead of its thousands of bytes.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_TEXT_TOKENS_H_
#define AGORA_SERVICES_MODERATION_SCREENING_TEXT_TOKENS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

struct Token {
  // Folded bytes [begin, end); the byte before begin and the byte at end are
  // not ASCII letters or digits.
  uint32_t begin = 0;
  uint32_t end = 0;

  size_t size() const { return end - begin; }
};

class TextTokens {
 public:
  // `folded` must outlive this object.
  explicit TextTokens(absl::string_view folded);

  absl::string_view text() const { return text_; }
  const std::vector<Token>& tokens() const { return tokens_; }
  absl::string_view TokenText(const Token& token) const {
    return text_.substr(token.begin, token.size());
  }
  // Index of the first token that begins at or after byte `pos`, from
  // `from` on (detectors move forward only).
  size_t FirstTokenFrom(size_t from, size_t pos) const;

 private:
  absl::string_view text_;
  std::vector<Token> tokens_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_TEXT_TOKENS_H_
