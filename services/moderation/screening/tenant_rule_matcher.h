// The tenant's word-list and pattern rules, matched on folded texts.
//
// Every enabled rule is registered in the tenant's PatternPrefilter, so a
// text is read once whatever the number of rules; only the rules the
// prefilter reports are run on their own, to find where they matched (and,
// for word lists, to keep whole-word occurrences only).
#ifndef AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_
#define AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/moderation/screening/pattern_prefilter.h"
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
  // The rule's pattern in the tenant's PatternPrefilter.
  int prefilter_index = -1;

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
  // ValidateRule, and adds each to `prefilter` (not yet compiled).
  // INVALID_ARGUMENT naming a rule that does not compile.
  static absl::StatusOr<std::unique_ptr<TenantRuleMatcher>> Create(
      const std::vector<RuleSpec>& rules, PatternPrefilter* prefilter);

  // Appends the matches in `folded` of the rules that apply to `language`
  // and `space`, among those `prefiltered` (PatternPrefilter::Match of the
  // same text) reports, rule by rule in configuration order, each rule's
  // matches in text order. Const, thread-safe.
  void Find(absl::string_view folded, absl::string_view language,
            absl::string_view space, const std::vector<int>& prefiltered,
            std::vector<RuleMatch>* out) const;

  size_t rule_count() const { return rules_.size(); }

 private:
  TenantRuleMatcher() = default;
  void FindRule(absl::string_view folded, const TenantRule& rule,
                std::vector<RuleMatch>* out) const;

  std::vector<TenantRule> rules_;
};

// The RE2 pattern of a word list: each term folded, quoted, its inner
// white space matching any run of white space, with \b at an end that is an
// ASCII letter or digit (so "signal" is not even reported in "signalement";
// whole-word checks after the match handle the other scripts), longest
// first.
std::string TermListPattern(const std::vector<std::string>& terms);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_TENANT_RULE_MATCHER_H_
