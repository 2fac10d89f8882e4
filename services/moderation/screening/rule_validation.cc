#include "services/moderation/screening/rule_validation.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {
namespace {

absl::Status Invalid(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", problem));
}

// "fr", "fr-BE", "sr-Latn-RS": a primary subtag of 2-3 letters, then
// subtags of 1-8 letters or digits.
bool IsLanguageTag(absl::string_view tag) {
  const std::vector<absl::string_view> subtags = absl::StrSplit(tag, '-');
  for (size_t i = 0; i < subtags.size(); ++i) {
    const absl::string_view subtag = subtags[i];
    if (i == 0 ? (subtag.size() < 2 || subtag.size() > 3)
               : (subtag.empty() || subtag.size() > 8)) {
      return false;
    }
    for (char c : subtag) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (i == 0 ? !absl::ascii_isalpha(u) : !absl::ascii_isalnum(u)) {
        return false;
      }
    }
  }
  return true;
}

absl::Status ValidatePattern(const std::string& pattern) {
  const size_t length = CountCodePoints(pattern);
  if (length == 0) return Invalid("pattern", "empty");
  if (length > static_cast<size_t>(kMaxPatternLength)) {
    return Invalid("pattern", "longer than 1000 characters");
  }
  if (!IsValidUtf8(pattern)) return Invalid("pattern", "not valid UTF-8");
  const RE2 re(pattern, PatternRuleOptions());
  if (!re.ok()) {
    if (re.error_code() == RE2::ErrorPatternTooLarge) {
      return Invalid("pattern", "exceeds the program-size limit (1 MiB)");
    }
    return Invalid("pattern", absl::StrCat("does not compile: ", re.error()));
  }
  if (RE2::FullMatch("", re)) {
    return Invalid("pattern", "matches the empty text");
  }
  return absl::OkStatus();
}

absl::Status ValidateTerms(const std::vector<std::string>& terms) {
  if (terms.empty()) return Invalid("terms", "empty");
  if (terms.size() > static_cast<size_t>(kMaxTermsPerRule)) {
    return Invalid("terms", "more than 1000 entries");
  }
  for (size_t i = 0; i < terms.size(); ++i) {
    const std::string field = absl::StrCat("terms[", i, "]");
    const size_t length = CountCodePoints(terms[i]);
    if (length == 0) return Invalid(field, "empty");
    if (length > static_cast<size_t>(kMaxTermLength)) {
      return Invalid(field, "longer than 100 characters");
    }
    if (!IsValidUtf8(terms[i])) return Invalid(field, "not valid UTF-8");
    if (FoldForMatching(terms[i]).empty()) {
      return Invalid(field,
                     "nothing left once folded (only spaces or "
                     "invisible characters)");
    }
  }
  return absl::OkStatus();
}

absl::Status Prefixed(absl::string_view prefix, const absl::Status& status) {
  return absl::InvalidArgumentError(absl::StrCat(prefix, status.message()));
}

}  // namespace

RE2::Options PatternRuleOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_max_mem(kMaxPatternMemory);
  options.set_log_errors(false);
  return options;
}

bool IsDomainName(absl::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  const std::vector<absl::string_view> labels = absl::StrSplit(domain, '.');
  if (labels.size() < 2) return false;
  for (absl::string_view label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' ||
        label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
        return false;
      }
    }
  }
  return true;
}

absl::Status ValidateRule(const RuleSpec& rule) {
  const size_t name_length = CountCodePoints(rule.name);
  if (name_length == 0) return Invalid("name", "empty");
  if (name_length > static_cast<size_t>(kMaxRuleNameLength)) {
    return Invalid("name", "longer than 200 characters");
  }
  if (absl::StartsWith(rule.name, kBuiltinRulePrefix)) {
    return Invalid("name", "\"builtin/\" is reserved for built-in detectors");
  }
  if (rule.action != RuleSpec::kBlock && rule.action != RuleSpec::kHold &&
      rule.action != RuleSpec::kWatch) {
    return Invalid("action", "must be BLOCK, HOLD or WATCH");
  }
  const bool has_terms = !rule.terms.empty();
  const bool has_pattern = !rule.pattern.empty();
  if (has_terms == has_pattern) {
    return Invalid("terms", "exactly one of terms and pattern must be set");
  }
  if (has_terms) {
    if (absl::Status status = ValidateTerms(rule.terms); !status.ok()) {
      return status;
    }
  } else if (absl::Status status = ValidatePattern(rule.pattern);
             !status.ok()) {
    return status;
  }
  if (!rule.language.empty() && !IsLanguageTag(rule.language)) {
    return Invalid("language", "not a BCP-47 language tag");
  }
  if (rule.action == RuleSpec::kWatch &&
      (rule.risk_weight < 1 || rule.risk_weight > 100)) {
    return Invalid("risk_weight", "must be 1-100 for a WATCH rule");
  }
  if (rule.spaces.size() > static_cast<size_t>(kMaxRuleSpaces)) {
    return Invalid("spaces", "more than 50 entries");
  }
  for (size_t i = 0; i < rule.spaces.size(); ++i) {
    if (rule.spaces[i].empty()) {
      return Invalid(absl::StrCat("spaces[", i, "]"), "empty");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTenantConfig(const TenantScreeningConfig& config) {
  if (config.rules.size() > static_cast<size_t>(kMaxRulesPerTenant)) {
    return Invalid("rules", "more than 1000 rules");
  }
  for (size_t i = 0; i < config.rules.size(); ++i) {
    if (absl::Status status = ValidateRule(config.rules[i]); !status.ok()) {
      return Prefixed(
          absl::StrCat("rules[", i, "] (\"", config.rules[i].name, "\")."),
          status);
    }
  }
  const LinkPolicySpec& links = config.link_policy;
  if (links.allowed_domains.size() > static_cast<size_t>(kMaxAllowedDomains)) {
    return Invalid("link_policy.allowed_domains", "more than 500 entries");
  }
  for (size_t i = 0; i < links.allowed_domains.size(); ++i) {
    absl::string_view domain = links.allowed_domains[i];
    absl::ConsumePrefix(&domain, "*.");
    if (!IsDomainName(domain)) {
      return Invalid(absl::StrCat("link_policy.allowed_domains[", i, "]"),
                     "not a domain name or *.domain");
    }
  }
  if (links.min_trust_level < 1 || links.min_trust_level > 5) {
    return Invalid("link_policy.min_trust_level", "must be 1-5");
  }
  if (links.max_links_per_post < 0 ||
      links.max_links_per_post > kMaxLinksPerPostLimit) {
    return Invalid("link_policy.max_links_per_post", "must be 0-100");
  }
  if (links.bank_domains.size() > static_cast<size_t>(kMaxBankDomains)) {
    return Invalid("link_policy.bank_domains", "more than 50 entries");
  }
  for (size_t i = 0; i < links.bank_domains.size(); ++i) {
    if (!IsDomainName(links.bank_domains[i])) {
      return Invalid(absl::StrCat("link_policy.bank_domains[", i, "]"),
                     "not a domain name");
    }
  }
  if (!(config.shouting_uppercase_ratio >= 0.5 &&
        config.shouting_uppercase_ratio <= 1.0)) {
    return Invalid("shouting_uppercase_ratio", "must be 0.5-1.0");
  }
  if (config.staff_names.size() > static_cast<size_t>(kMaxStaffNames)) {
    return Invalid("staff_names", "more than 100 entries");
  }
  for (size_t i = 0; i < config.staff_names.size(); ++i) {
    const std::string field = absl::StrCat("staff_names[", i, "]");
    const size_t length = CountCodePoints(config.staff_names[i]);
    if (length == 0 || length > static_cast<size_t>(kMaxStaffNameLength)) {
      return Invalid(field, "must be 1-100 characters");
    }
    if (FoldForMatching(config.staff_names[i]).empty()) {
      return Invalid(field, "nothing left once folded");
    }
  }
  for (size_t i = 0; i < config.countries.size(); ++i) {
    const std::string& country = config.countries[i];
    if (country.size() != 2 ||
        !absl::ascii_isalpha(static_cast<unsigned char>(country[0])) ||
        !absl::ascii_isalpha(static_cast<unsigned char>(country[1]))) {
      return Invalid(absl::StrCat("countries[", i, "]"),
                     "not a two-letter country code");
    }
  }
  return absl::OkStatus();
}

}  // namespace agora::moderation::screening
