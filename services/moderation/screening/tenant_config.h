// A tenant's screening configuration as the service stores it (rules and the
// screening part of its moderation policy). CompileTenantRules turns it into
// CompiledTenantRules once per change; screening never reads these structs.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_TENANT_CONFIG_H_
#define AGORA_SERVICES_MODERATION_SCREENING_TENANT_CONFIG_H_

#include <string>
#include <vector>

namespace agora::moderation::screening {

// One tenant rule (agora.moderation.v1.Rule): a list of words or phrases, or
// an RE2 pattern. Limits are in rule_validation.h.
struct RuleSpec {
  // What a match does (agora.moderation.v1.RuleAction).
  enum Action : int {
    kBlock = 1,  // the post is rejected (finding kBlockedTerm)
    kHold = 2,   // the post waits for review (finding kWatchedTerm)
    kWatch = 3,  // adds risk_weight to the risk score (kWatchedTerm)
  };

  // Reported as Finding::rule: the rule's resource name or id.
  std::string name;
  Action action = kWatch;
  // Words or phrases matched as whole words on the folded text (case,
  // accents and look-alike characters folded; any run of white space in a
  // phrase matches any run in the text). Exactly one of `terms` and
  // `pattern` is set.
  std::vector<std::string> terms;
  // An RE2 pattern matched on the folded text, case-insensitively: write it
  // in lowercase without accents ("cr[iy]pto", not "Crÿpto").
  std::string pattern;
  // BCP-47 language the rule applies to, compared on the primary subtag
  // ("fr" applies to "fr-BE"); empty for every language.
  std::string language;
  // Risk points of a WATCH match, 1-100; ignored for other actions.
  int risk_weight = 0;
  // Spaces the rule is limited to; empty for every space.
  std::vector<std::string> spaces;
  // Disabled rules are validated but never matched.
  bool enabled = true;
};

// Link rules (agora.moderation.v1.LinkPolicy).
struct LinkPolicySpec {
  // Domains links may point at: "example.com" (that host, and "www." in
  // front of it) or "*.example.com" (example.com and any subdomain). Empty
  // allows every domain. The bank's domains are always allowed.
  std::vector<std::string> allowed_domains;
  // Lowest trust level (1-5) allowed to post links at all.
  int min_trust_level = 2;
  // Most links per post, 0-100; links beyond it are findings.
  int max_links_per_post = 10;
  // The bank's own domains ("bnpparibas.fr", "mabanque.bnpparibas"), for
  // look-alike detection; they and their subdomains are never look-alikes.
  std::vector<std::string> bank_domains;
};

struct TenantScreeningConfig {
  std::vector<RuleSpec> rules;
  LinkPolicySpec link_policy;
  // A text of at least 20 letters with a larger share of capitals is
  // shouting, 0.5-1.0.
  double shouting_uppercase_ratio = 0.7;
  // Names a post may not sign with or claim unless its author is staff:
  // the bank's names and the titles its staff use ("BNP Paribas", "Hello
  // bank!", "Support", "Conseiller").
  std::vector<std::string> staff_names;
  // ISO 3166 codes of the tenant's countries ("FR", or "BE" and "NL").
  // Phone numbers written in national format are looked for in these
  // countries' formats (numbers written with +CC/00CC are recognised for
  // every country screening knows). The Polish PESEL and Dutch BSN, whose
  // checks accept one random number in 10 and 11, are looked for only when
  // PL and NL respectively are listed.
  std::vector<std::string> countries;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_TENANT_CONFIG_H_
