#include "services/moderation/screening/shouting_detector.h"

#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {

void FindShouting(absl::string_view original, absl::string_view folded,
                  double uppercase_ratio, std::vector<Detection>* out) {
  int uppercase = 0;
  int lowercase = 0;
  size_t pos = 0;
  while (pos < original.size()) {
    const char32_t code_point = DecodeUtf8(original, &pos);
    if (IsUppercaseLetter(code_point)) {
      ++uppercase;
    } else if (IsLowercaseLetter(code_point)) {
      ++lowercase;
    }
  }
  const int letters = uppercase + lowercase;
  if (letters >= kMinShoutingLetters &&
      static_cast<double>(uppercase) > uppercase_ratio * letters &&
      !folded.empty()) {
    Detection detection;
    detection.begin = 0;
    detection.end = folded.size();
    detection.type = FindingType::kShouting;
    detection.rule = kUppercaseShoutingRule;
    out->push_back(std::move(detection));
  }
  size_t run_begin = 0;
  for (size_t i = 0; i <= folded.size(); ++i) {
    const bool mark =
        i < folded.size() && (folded[i] == '!' || folded[i] == '?');
    if (mark) {
      if (i == 0 || (folded[i - 1] != '!' && folded[i - 1] != '?')) {
        run_begin = i;
      }
      continue;
    }
    if (i > 0 && (folded[i - 1] == '!' || folded[i - 1] == '?') &&
        i - run_begin >= static_cast<size_t>(kMinShoutingPunctuation)) {
      Detection detection;
      detection.begin = run_begin;
      detection.end = i;
      detection.type = FindingType::kShouting;
      detection.rule = kPunctuationShoutingRule;
      out->push_back(std::move(detection));
    }
  }
}

}  // namespace agora::moderation::screening
