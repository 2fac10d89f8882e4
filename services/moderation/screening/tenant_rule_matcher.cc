#include "services/moderation/screening/tenant_rule_matcher.h"

#include <algorithm>

#include "absl/memory/memory.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/rule_validation.h"
#include "services/moderation/screening/text_scanning.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {
namespace {

re2::StringPiece Piece(absl::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}

std::string PrimaryLanguage(absl::string_view tag) {
  return absl::AsciiStrToLower(tag.substr(0, tag.find('-')));
}

RE2::Options TermListOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_longest_match(true);
  options.set_max_mem(kMaxTermListMemory);
  options.set_log_errors(false);
  return options;
}

// True when [begin, end) does not cut a word: a side that is a word
// character must have a non-word character (or the text's edge) next to
// it.
bool IsWholeWord(absl::string_view text, size_t begin, size_t end) {
  if (IsWordAt(text, begin) && IsWordBefore(text, begin)) return false;
  if (IsWordBefore(text, end) && IsWordAt(text, end)) return false;
  return true;
}

size_t NextCodePoint(absl::string_view text, size_t pos) {
  ++pos;
  while (pos < text.size() &&
         (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) {
    ++pos;
  }
  return pos;
}

}  // namespace

bool TenantRule::AppliesTo(absl::string_view text_language,
                           absl::string_view space) const {
  if (!language.empty() && PrimaryLanguage(text_language) != language) {
    return false;
  }
  if (!spaces.empty() &&
      !std::binary_search(spaces.begin(), spaces.end(), space)) {
    return false;
  }
  return true;
}

std::string TermListPattern(const std::vector<std::string>& terms) {
  std::vector<std::string> folded;
  folded.reserve(terms.size());
  for (const std::string& term : terms) {
    std::string f = FoldForMatching(term);
    if (!f.empty()) folded.push_back(std::move(f));
  }
  std::sort(folded.begin(), folded.end(),
            [](const std::string& a, const std::string& b) {
              return a.size() != b.size() ? a.size() > b.size() : a < b;
            });
  folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  std::vector<std::string> alternatives;
  alternatives.reserve(folded.size());
  for (const std::string& term : folded) {
    std::vector<std::string> words;
    for (absl::string_view word : absl::StrSplit(term, ' ')) {
      words.push_back(RE2::QuoteMeta(Piece(word)));
    }
    auto ascii_word = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    };
    alternatives.push_back(absl::StrCat(
        ascii_word(term.front()) ? R"(\b)" : "", absl::StrJoin(words, R"(\s+)"),
        ascii_word(term.back()) ? R"(\b)" : ""));
  }
  return absl::StrCat("(?:", absl::StrJoin(alternatives, "|"), ")");
}

absl::StatusOr<std::unique_ptr<TenantRuleMatcher>> TenantRuleMatcher::Create(
    const std::vector<RuleSpec>& rules, PatternPrefilter* prefilter) {
  auto matcher = absl::WrapUnique(new TenantRuleMatcher());
  for (size_t i = 0; i < rules.size(); ++i) {
    const RuleSpec& spec = rules[i];
    if (!spec.enabled) continue;
    TenantRule rule;
    rule.name = spec.name;
    rule.action = spec.action;
    rule.risk_weight = spec.risk_weight;
    rule.language = PrimaryLanguage(spec.language);
    rule.spaces = spec.spaces;
    std::sort(rule.spaces.begin(), rule.spaces.end());
    rule.whole_words = !spec.terms.empty();
    const std::string pattern =
        rule.whole_words ? TermListPattern(spec.terms) : spec.pattern;
    rule.matcher = std::make_unique<RE2>(
        pattern, rule.whole_words ? TermListOptions() : PatternRuleOptions());
    const std::string field = absl::StrCat(
        "rules[", i, "] (\"", spec.name, "\")",
        rule.whole_words ? ".terms" : ".pattern", ": does not compile: ");
    if (!rule.matcher->ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, rule.matcher->error()));
    }
    std::string error;
    rule.prefilter_index = prefilter->Add(pattern, &error);
    if (rule.prefilter_index < 0) {
      return absl::InvalidArgumentError(absl::StrCat(field, error));
    }
    matcher->rules_.push_back(std::move(rule));
  }
  return matcher;
}

void TenantRuleMatcher::FindRule(absl::string_view folded,
                                 const TenantRule& rule,
                                 std::vector<RuleMatch>* out) const {
  const re2::StringPiece text = Piece(folded);
  re2::StringPiece match;
  size_t pos = 0;
  int found = 0;
  while (pos <= folded.size() && found < kMaxMatchesPerRule &&
         rule.matcher->Match(text, pos, folded.size(), RE2::UNANCHORED, &match,
                             1)) {
    const size_t begin = static_cast<size_t>(match.data() - folded.data());
    const size_t end = begin + match.size();
    if (end == begin) {  // an empty match reports nothing
      pos = NextCodePoint(folded, begin);
      continue;
    }
    if (rule.whole_words && !IsWholeWord(folded, begin, end)) {
      pos = NextCodePoint(folded, begin);
      continue;
    }
    out->push_back(RuleMatch{begin, end, &rule});
    ++found;
    pos = end;
  }
}

void TenantRuleMatcher::Find(absl::string_view folded,
                             absl::string_view language,
                             absl::string_view space,
                             const std::vector<int>& prefiltered,
                             std::vector<RuleMatch>* out) const {
  for (const TenantRule& rule : rules_) {
    if (Matched(prefiltered, rule.prefilter_index) &&
        rule.AppliesTo(language, space)) {
      FindRule(folded, rule, out);
    }
  }
}

}  // namespace agora::moderation::screening
