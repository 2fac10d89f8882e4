// Validation of tenant rules and screening configuration. The service calls
// ValidateRule when a rule is created or updated (and prefixes the field
// path it uses, "rule."); CompileTenantRules calls ValidateTenantConfig, so
// a configuration that compiles is one that passed these checks.
//
// Messages name the field and say what is wrong, never echoing more than
// RE2's own description of a pattern error: "pattern: does not compile:
// missing ): (crypto", "terms[3]: longer than 100 characters".
#ifndef AGORA_SERVICES_MODERATION_SCREENING_RULE_VALIDATION_H_
#define AGORA_SERVICES_MODERATION_SCREENING_RULE_VALIDATION_H_

#include <cstdint>

#include "absl/status/status.h"
#include "re2/re2.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation::screening {

inline constexpr int kMaxRuleNameLength = 200;
inline constexpr int kMaxTermsPerRule = 1000;
inline constexpr int kMaxTermLength = 100;      // code points
inline constexpr int kMaxPatternLength = 1000;  // code points
// RE2's memory budget for one pattern: bounds its compiled program (RE2
// refuses larger ones) and its DFA cache.
inline constexpr int64_t kMaxPatternMemory = 1 << 20;
// A term list compiles to one alternation; 1,000 terms of 100 characters
// need more room than a hand-written pattern.
inline constexpr int64_t kMaxTermListMemory = 8 << 20;
inline constexpr int kMaxRuleSpaces = 50;
inline constexpr int kMaxRulesPerTenant = 1000;
inline constexpr int kMaxAllowedDomains = 500;
inline constexpr int kMaxBankDomains = 50;
inline constexpr int kMaxStaffNames = 100;
inline constexpr int kMaxStaffNameLength = 100;  // code points
inline constexpr int kMaxLinksPerPostLimit = 100;

// RE2 options of pattern rules: case-insensitive, within kMaxPatternMemory,
// errors returned rather than logged.
RE2::Options PatternRuleOptions();

// OK, or INVALID_ARGUMENT naming the first bad field of `rule`:
//   name: 1-200 characters, not starting with "builtin/";
//   action: BLOCK, HOLD or WATCH;
//   exactly one of terms and pattern;
//   terms: 1-1,000 entries of 1-100 characters, none empty once folded;
//   pattern: 1-1,000 characters, compiles with RE2 within the memory limit,
//     does not match the empty text (it would match every post);
//   language: empty or a BCP-47 tag ("fr", "fr-BE");
//   risk_weight: 1-100 for WATCH rules;
//   spaces: at most 50, none empty.
absl::Status ValidateRule(const RuleSpec& rule);

// OK, or INVALID_ARGUMENT naming the field: every rule as ValidateRule
// (prefixed "rules[i] (\"name\")."), at most 1,000 rules;
// link_policy.allowed_domains (at most 500, "example.com" or
// "*.example.com"), link_policy.min_trust_level (1-5),
// link_policy.max_links_per_post (0-100), link_policy.bank_domains (at
// most 50 domain names), shouting_uppercase_ratio (0.5-1.0), staff_names
// (at most 100, 1-100 characters, not empty once folded), countries
// (two-letter codes).
absl::Status ValidateTenantConfig(const TenantScreeningConfig& config);

// True for a domain name ("example.com": two or more labels of letters,
// digits and inner dashes).
bool IsDomainName(absl::string_view domain);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_RULE_VALIDATION_H_
