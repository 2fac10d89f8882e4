// The tenant's word-list and pattern rules, matched on folded texts.
//
// All enabled rules go into one RE2::Set, so a text is scanned once whatever
// the number of rules; only the rules the set reports are run on their own
// to find where they matched (and, for word lists, to keep whole-word
// occurrences only). If the set's DFA runs out of memory on a text, every
// rule is run on its own instead: slower, never a missed rule.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_
#define AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "re2/set.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation::screening {

// At most this many matches of one rule are reported per text field (a
// 40,000-character text repeating a blocked word makes one finding per
// occurrence otherwise); the rule counts the same.
inline constexpr int kMaxMatchesPerRule = 20;

// One compiled rule.
struct TenantRule {
  std::string name;
  RuleSpec::Action action = RuleSpec::kWatch;
  int risk_weight = 0;
  // Primary language subtag, lowercase; empty for every language.
  std::string language;
  // Sorted; empty for every space.
  std::vector<std::string> spaces;
  // Word lists match whole words only.
  bool whole_words = false;
  std::unique_ptr<RE2> matcher;

  // True when the rule applies to a text in `language` posted in `space`.
  bool AppliesTo(absl::string_view language, absl::string_view space) const;
};

struct RuleMatch {
  // Folded bytes [begin, end).
  size_t begin = 0;
  size_t end = 0;
  const TenantRule* rule = nullptr;
};

class TenantRuleMatcher {
 public:
  // Compiles the enabled rules of `rules`, which must have passed
  // ValidateRule. INVALID_ARGUMENT when the rules together are too large
  // for one RE2::Set.
  static absl::StatusOr<std::unique_ptr<TenantRuleMatcher>> Create(
      const std::vector<RuleSpec>& rules);

  // Appends the matches in `folded` of the rules that apply to `language`
  // and `space`, rule by rule in configuration order, each rule's matches in
  // text order. Const, thread-safe.
  void Find(absl::string_view folded, absl::string_view language,
            absl::string_view space, std::vector<RuleMatch>* out) const;

  size_t rule_count() const { return rules_.size(); }

 private:
  TenantRuleMatcher() = default;
  void FindRule(absl::string_view folded, const TenantRule& rule,
                std::vector<RuleMatch>* out) const;

  std::vector<TenantRule> rules_;
  std::unique_ptr<RE2::Set> set_;  // pattern i is rules_[i]
};

// The RE2 pattern of a word list: each term folded, quoted, its inner
// white space matching any run of white space, longest first.
std::string TermListPattern(const std::vector<std::string>& terms);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_
