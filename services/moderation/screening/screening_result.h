// What Screener::Screen returns. The masked texts are what the service
// stores and returns: the member's text unchanged except that every piece of
// personal data found is replaced by its mask.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_SCREENING_RESULT_H_
#define AGORA_SERVICES_MODERATION_SCREENING_SCREENING_RESULT_H_

#include <vector>

#include "services/moderation/screening/finding.h"
#include "services/moderation/screening/screening_input.h"

namespace agora::moderation::screening {

struct ScreeningResult {
  // One per input text, same order and field names.
  std::vector<TextField> masked_texts;
  // Field by field in input order, each field's findings by start offset.
  std::vector<Finding> findings;
  // Sum of the findings' risk, capped at 100 (risk_weights.h).
  int risk_score = 0;
  // A tenant rule with action HOLD matched: the post waits for review
  // whatever the risk score.
  bool hold_required = false;
  // A tenant rule with action BLOCK matched: the post is rejected.
  bool block_required = false;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_SCREENING_RESULT_H_
