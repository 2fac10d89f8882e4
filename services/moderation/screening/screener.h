// The screening engine: what moderation.Screen runs on every post and edit.
// Pure: no I/O, no clock, no randomness; the same input and rules always
// give the same result.
//
// For each text field, in order:
//   1. Fold (code_point_folding.h): NFKC, case, accents, look-alike
//      letters, digits of every script, keeping a map to the original.
//   2. Personal data, masked in the original text: e-mail addresses,
//      IBANs, card numbers, French NIR, Italian codice fiscale, Spanish
//      DNI/NIE, Polish PESEL and Dutch BSN (tenants of those countries),
//      phone numbers — in that order of precedence where they overlap.
//   3. Bank risks: credential requests and disclosures; links and e-mail
//      domains that imitate the bank's domains; claims to be staff (only
//      when the author is not staff).
//   4. Tenant rules (language and space filters), link policy (links are
//      counted over the whole post, title first), shouting.
//   5. Risk: built-in weights and WATCH rule weights, each (type, rule)
//      once per post, capped at 100 (risk_weights.h).
// Findings point into the masked text, in code points.
//
// Never fails: any input, including ill-formed UTF-8 and 40,000-character
// texts, gives a result. Text length limits are the service's to enforce.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_SCREENER_H_
#define AGORA_SERVICES_MODERATION_SCREENING_SCREENER_H_

#include "services/moderation/screening/compiled_tenant_rules.h"
#include "services/moderation/screening/screening_input.h"
#include "services/moderation/screening/screening_result.h"

namespace agora::moderation::screening {

class Screener {
 public:
  // Builds the folding table, so that no screening pays for it.
  Screener();

  // Screens `input` with a tenant's compiled rules. Const and thread-safe:
  // one Screener and one CompiledTenantRules serve any number of threads.
  ScreeningResult Screen(const ScreeningInput& input,
                         const CompiledTenantRules& rules) const;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_SCREENER_H_
