// What a detector reports: a span of the folded text, what it is, and the
// mask that replaces it when it is personal data. The screener turns
// detections into Findings on the masked text.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_DETECTION_H_
#define AGORA_SERVICES_MODERATION_SCREENING_DETECTION_H_

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/finding.h"

namespace agora::moderation::screening {

struct Detection {
  // Folded bytes [begin, end).
  size_t begin = 0;
  size_t end = 0;
  FindingType type = FindingType::kCardNumber;
  // A built-in rule id, or a tenant rule name owned by the compiled rules
  // (which outlive every screening).
  absl::string_view rule;
  // The replacement of the original span; empty when nothing is masked.
  std::string mask;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_DETECTION_H_
