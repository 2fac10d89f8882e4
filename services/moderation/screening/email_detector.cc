#include "services/moderation/screening/email_detector.h"

#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

bool IsLocalPartCharacter(char c) {
  return IsAsciiAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
         c == '-';
}

// End of the domain starting at `pos`, or `pos` when there is none: labels
// of letters, digits and inner hyphens joined by dots, at least two, the
// last one alphabetic and 2+ long.
size_t DomainEnd(absl::string_view text, size_t pos) {
  size_t end = pos;
  size_t labels = 0;
  size_t cursor = pos;
  while (cursor < text.size()) {
    const size_t label_begin = cursor;
    bool alphabetic = true;
    while (cursor < text.size() &&
           (IsAsciiAlnum(text[cursor]) || text[cursor] == '-')) {
      alphabetic = alphabetic && IsAsciiLower(text[cursor]);
      ++cursor;
    }
    const size_t label_size = cursor - label_begin;
    if (label_size == 0 || text[label_begin] == '-' ||
        text[cursor - 1] == '-') {
      break;
    }
    ++labels;
    if (labels >= 2 && alphabetic && label_size >= 2) end = cursor;
    if (cursor + 1 < text.size() && text[cursor] == '.' &&
        IsAsciiAlnum(text[cursor + 1])) {
      ++cursor;
    } else {
      break;
    }
  }
  return end;
}

}  // namespace

void FindEmailAddresses(absl::string_view folded,
                        std::vector<EmailMatch>* out) {
  size_t search_from = 0;
  while (true) {
    const size_t at = folded.find('@', search_from);
    if (at == absl::string_view::npos) return;
    search_from = at + 1;
    size_t begin = at;
    while (begin > 0 && IsLocalPartCharacter(folded[begin - 1])) --begin;
    while (begin < at && folded[begin] == '.') ++begin;
    if (begin == at) continue;
    const size_t end = DomainEnd(folded, at + 1);
    if (end == at + 1) continue;
    out->push_back(EmailMatch{begin, end, at + 1});
    search_from = end;
  }
}

}  // namespace agora::moderation::screening
