// Telephone numbering plans of the countries screening knows: calling code,
// trunk prefix and the shapes of their national significant numbers (NSN,
// the number without trunk "0" or country code). Patterns are RE2 over
// digits only, matched in full.
//
// Three patterns per country, from loosest to strictest, because the way a
// number is written says how sure we can be that it is a phone number:
//   - after "+CC"/"00CC" (international): every valid NSN;
//   - national format with separators ("06 12 34 56 78"): numbers that are
//     assigned to people (geographic and mobile), not service numbers (FR
//     08, NL 0800/0900);
//   - national format in one block ("0612345678"): only where the block
//     cannot be mistaken for an order number of the same length, usually
//     mobiles only (a bare Polish 9-digit landline is not masked).
// National patterns include the trunk "0" where the country has one.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_PHONE_NUMBERING_PLANS_H_
#define AGORA_SERVICES_MODERATION_SCREENING_PHONE_NUMBERING_PLANS_H_

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace agora::moderation::screening {

struct NumberingPlan {
  absl::string_view country;       // ISO 3166, "FR"
  absl::string_view calling_code;  // "33"
  // "0" before the NSN in national format, dropped after +CC (written
  // "+33 (0)6 ..." by some, which is accepted).
  bool trunk_zero;
  absl::string_view international_nsn;
  absl::string_view national_grouped;
  absl::string_view national_block;
  // Longest group of digits in national format with separators: how the
  // country writes numbers ("06 12 34 56 78": 2; "06-12345678": 8). A
  // longer group is a reference or a date ("2015 00775"), not a phone.
  int max_national_group;
};

// FR, BE, NL, DE, IT, ES, PL, PT, AT, CH, LU, GB, IE.
absl::Span<const NumberingPlan> NumberingPlans();

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_PHONE_NUMBERING_PLANS_H_
