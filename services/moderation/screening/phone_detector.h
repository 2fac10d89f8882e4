// Phone numbers of the countries of phone_numbering_plans.h, masked as
// "•••• " and the last two digits.
//
// International format ("+33 6 12 34 56 78", "+33 (0)6 12 34 56 78",
// "0033612345678") is recognised for every known country; national format
// ("06 12 34 56 78", "06.12.34.56.78", "0612345678", "612 345 678") only
// for the tenant's countries. Separators are spaces, dots and dashes.
// National numbers written in groups must use one separator throughout,
// with groups no longer than the country writes them (PL "600 123 456":
// 3; NL "06-12345678": 8) (so "30-03-2024 10" is a date and an hour, not a
// number), and a phone number is the whole run of digit groups: "06 12 34
// 56 78 90" (12 digits) is not a phone number followed by "90". No phone
// number continues as a decimal or date (",50", ".2024") or is followed or
// preceded by a currency (an amount).
#ifndef AGORA_SERVICES_MODERATION_SCREENING_PHONE_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_PHONE_DETECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/phone_numbering_plans.h"
#include "services/moderation/screening/text_tokens.h"

namespace agora::moderation::screening {

class PhoneDetector {
 public:
  // National formats of `countries` (ISO codes, any case; codes without a
  // numbering plan are ignored).
  explicit PhoneDetector(const std::vector<std::string>& countries);
  PhoneDetector(const PhoneDetector&) = delete;
  PhoneDetector& operator=(const PhoneDetector&) = delete;

  // Appends every phone number of a folded text. Const and thread-safe.
  void Find(const TextTokens& text, std::vector<Detection>* out) const;

 private:
  struct CompiledPlan {
    const NumberingPlan* plan;
    bool national;  // a tenant country: national formats too
    std::unique_ptr<RE2> international_nsn;
    std::unique_ptr<RE2> national_grouped;
    std::unique_ptr<RE2> national_block;
  };

  // The end of an international number starting at `start` ("+" or "00")
  // whose digits begin at `digits`, or 0.
  size_t MatchInternational(absl::string_view folded, size_t start,
                            size_t digits) const;
  // The end of a national number starting at digit `start`, or 0; the end
  // of the run of digit groups there in `run_end` either way.
  size_t MatchNational(absl::string_view folded, size_t start,
                       size_t* run_end) const;

  std::vector<CompiledPlan> plans_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_PHONE_DETECTOR_H_
