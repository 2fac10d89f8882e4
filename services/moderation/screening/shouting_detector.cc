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
  auto mark = [&text](size_t i) { return text[i] == '!' || text[i] == '?'; };
  size_t pos = 0;
  while (pos < text.size()) {
    if (!mark(pos)) {
      ++pos;
      continue;
    }
    const size_t begin = pos;
    while (pos < text.size() && mark(pos)) ++pos;
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
