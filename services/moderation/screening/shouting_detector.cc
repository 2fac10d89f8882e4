#include "services/moderation/screening/shouting_detector.h"

#include "services/moderation/screening/builtin_rules.h"

namespace agora::moderation::screening {

void FindShouting(const FoldedText& folded, double uppercase_ratio,
                  std::vector<Detection>* out) {
  const absl::string_view text = folded.text();
  const int uppercase = folded.uppercase_letters();
  const int letters = uppercase + folded.lowercase_letters();
  if (letters >= kMinShoutingLetters &&
      static_cast<double>(uppercase) > uppercase_ratio * letters) {
    Detection detection;
    detection.begin = 0;
    detection.end = text.size();
    detection.type = FindingType::kShouting;
    detection.rule = kUppercaseShoutingRule;
    out->push_back(std::move(detection));
  }
  size_t pos = 0;
  while ((pos = text.find_first_of("!?", pos)) != absl::string_view::npos) {
    const size_t begin = pos;
    while (pos < text.size() && (text[pos] == '!' || text[pos] == '?')) ++pos;
    if (pos - begin >= static_cast<size_t>(kMinShoutingPunctuation)) {
      Detection detection;
      detection.begin = begin;
      detection.end = pos;
      detection.type = FindingType::kShouting;
      detection.rule = kPunctuationShoutingRule;
      out->push_back(std::move(detection));
    }
  }
}

}  // namespace agora::moderation::screening
