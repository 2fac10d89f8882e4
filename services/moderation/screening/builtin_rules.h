// Ids of the built-in detectors, reported in Finding::rule. They are part of
// the contract (moderators filter on them), so they never change meaning.
// Tenant rule names cannot start with "builtin/" (rule_validation.h).
#ifndef AGORA_SERVICES_MODERATION_SCREENING_BUILTIN_RULES_H_
#define AGORA_SERVICES_MODERATION_SCREENING_BUILTIN_RULES_H_

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

inline constexpr absl::string_view kBuiltinRulePrefix = "builtin/";

inline constexpr absl::string_view kCardNumberRule = "builtin/card-number";
inline constexpr absl::string_view kIbanRule = "builtin/iban";
inline constexpr absl::string_view kEmailAddressRule = "builtin/email-address";
inline constexpr absl::string_view kPhoneNumberRule = "builtin/phone-number";
inline constexpr absl::string_view kFrNirRule = "builtin/national-id-fr-nir";
inline constexpr absl::string_view kItCodiceFiscaleRule =
    "builtin/national-id-it-codice-fiscale";
inline constexpr absl::string_view kPlPeselRule =
    "builtin/national-id-pl-pesel";
inline constexpr absl::string_view kNlBsnRule = "builtin/national-id-nl-bsn";
inline constexpr absl::string_view kEsDniNieRule =
    "builtin/national-id-es-dni-nie";
inline constexpr absl::string_view kCredentialRequestRule =
    "builtin/credential-request";
// A link (or an e-mail address) whose domain imitates one of the bank's.
inline constexpr absl::string_view kLookalikeDomainRule =
    "builtin/lookalike-domain";
inline constexpr absl::string_view kStaffImpersonationRule =
    "builtin/staff-impersonation";
// Links posted below the link policy's minimum trust level.
inline constexpr absl::string_view kLinkTrustLevelRule =
    "builtin/link-policy/trust-level";
// Links to a domain outside the link policy's allowed domains.
inline constexpr absl::string_view kLinkDomainRule =
    "builtin/link-policy/domain";
// Links beyond the link policy's maximum per post.
inline constexpr absl::string_view kLinkCountRule =
    "builtin/link-policy/max-links";
inline constexpr absl::string_view kUppercaseShoutingRule =
    "builtin/shouting/uppercase";
inline constexpr absl::string_view kPunctuationShoutingRule =
    "builtin/shouting/punctuation";

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_BUILTIN_RULES_H_
