#include "services/moderation/screening/phone_detector.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/digit_groups.h"
#include "services/moderation/screening/text_scanning.h"

namespace agora::moderation::screening {
namespace {

constexpr absl::string_view kSeparators = " .-";
constexpr size_t kMaxGroups = 6;

std::unique_ptr<RE2> CompileDigits(absl::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);
  return std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()),
                               options);
}

bool FullMatch(const RE2& re, absl::string_view digits) {
  return RE2::FullMatch(re2::StringPiece(digits.data(), digits.size()), re);
}

bool IsSeparator(char c) {
  return kSeparators.find(c) != absl::string_view::npos;
}

// Currencies written next to amounts, folded.
bool StartsWithCurrency(absl::string_view text) {
  for (absl::string_view currency :
       {"\u20ac", "$", "\u00a3", "eur", "euro", "zl", "pln", "chf", "usd",
        "gbp", "k\u20ac"}) {
    if (absl::StartsWith(text, currency)) {
      const size_t after = currency.size();
      return after >= text.size() || !IsAsciiLower(text[after]);
    }
  }
  return false;
}

// An amount: a currency right after the number (one space allowed) or
// right before it.
bool LooksLikeAmount(absl::string_view text, size_t begin, size_t end) {
  absl::string_view after = text.substr(end);
  if (absl::StartsWith(after, " ")) after.remove_prefix(1);
  if (StartsWithCurrency(after)) return true;
  absl::string_view before = text.substr(0, begin);
  if (absl::EndsWith(before, " ")) before.remove_suffix(1);
  for (absl::string_view currency : {"\u20ac", "$", "\u00a3"}) {
    if (absl::EndsWith(before, currency)) return true;
  }
  return false;
}

// True when a number ending at `end` ends at a boundary.
bool EndsAtBoundary(absl::string_view text, size_t end) {
  return !IsWordAt(text, end) && !ContinuesAsNumber(text, end);
}

Detection MakeDetection(absl::string_view text, size_t begin, size_t end) {
  char last_digits[2] = {'0', '0'};
  int found = 0;
  for (size_t i = end; i-- > begin && found < 2;) {
    if (IsAsciiDigit(text[i])) last_digits[1 - found++] = text[i];
  }
  Detection detection;
  detection.begin = begin;
  detection.end = end;
  detection.type = FindingType::kPhoneNumber;
  detection.rule = kPhoneNumberRule;
  detection.mask = absl::StrCat("\u2022\u2022\u2022\u2022 ",
                                absl::string_view(last_digits, 2));
  return detection;
}

}  // namespace

PhoneDetector::PhoneDetector(const std::vector<std::string>& countries) {
  for (const NumberingPlan& plan : NumberingPlans()) {
    CompiledPlan compiled;
    compiled.plan = &plan;
    compiled.national = false;
    for (const std::string& country : countries) {
      if (absl::EqualsIgnoreCase(country, plan.country)) {
        compiled.national = true;
      }
    }
    compiled.international_nsn = CompileDigits(plan.international_nsn);
    compiled.national_grouped = CompileDigits(plan.national_grouped);
    compiled.national_block = CompileDigits(plan.national_block);
    plans_.push_back(std::move(compiled));
  }
}

size_t PhoneDetector::MatchInternational(absl::string_view folded, size_t start,
                                         size_t digits) const {
  for (const CompiledPlan& compiled : plans_) {
    const absl::string_view code = compiled.plan->calling_code;
    if (!absl::StartsWith(folded.substr(digits), code)) continue;
    size_t pos = digits + code.size();
    if (pos < folded.size() && IsSeparator(folded[pos])) ++pos;
    if (absl::StartsWith(folded.substr(pos), "(0)")) {
      pos += 3;
      if (pos < folded.size() && IsSeparator(folded[pos])) ++pos;
    }
    if (pos >= folded.size() || !IsAsciiDigit(folded[pos])) continue;
    const DigitGroups groups = ReadDigitGroups(folded, pos, kSeparators);
    const size_t last = groups.count - 1;
    const size_t end = groups.end[last];
    if (groups.count > kMaxGroups || !EndsAtBoundary(folded, end)) continue;
    std::string nsn = groups.Digits(folded, 0, last);
    if (compiled.plan->trunk_zero && absl::StartsWith(nsn, "0")) {
      nsn.erase(0, 1);
    }
    if (FullMatch(*compiled.international_nsn, nsn) &&
        !LooksLikeAmount(folded, start, end)) {
      return end;
    }
  }
  return 0;
}

size_t PhoneDetector::MatchNational(absl::string_view folded, size_t start,
                                    size_t* run_end) const {
  const DigitGroups groups = ReadDigitGroups(folded, start, kSeparators);
  const size_t last = groups.count - 1;
  const size_t end = groups.end[last];
  *run_end = end;
  if (groups.count > kMaxGroups || !EndsAtBoundary(folded, end) ||
      !groups.SameSeparator(0, last) || LooksLikeAmount(folded, start, end)) {
    return 0;
  }
  size_t longest_group = 0;
  for (size_t g = 0; g <= last; ++g) {
    longest_group = std::max(longest_group, groups.Size(g));
  }
  const std::string digits = groups.Digits(folded, 0, last);
  for (const CompiledPlan& compiled : plans_) {
    if (!compiled.national) continue;
    if (last == 0) {
      if (FullMatch(*compiled.national_block, digits)) return end;
    } else if (longest_group <=
                   static_cast<size_t>(compiled.plan->max_national_group) &&
               FullMatch(*compiled.national_grouped, digits)) {
      return end;
    }
  }
  return 0;
}

void PhoneDetector::Find(const TextTokens& text,
                         std::vector<Detection>* out) const {
  const absl::string_view folded = text.text();
  const std::vector<Token>& tokens = text.tokens();
  const size_t size = folded.size();
  size_t t = 0;
  while (t < tokens.size()) {
    const size_t pos = tokens[t].begin;
    if (!IsAsciiDigit(folded[pos])) {
      ++t;
      continue;
    }
    // International: "+33 ..." or "0033 ...".
    size_t start = 0;
    size_t digits = 0;
    if (pos > 0 && folded[pos - 1] == '+' && !IsWordBefore(folded, pos - 1)) {
      start = pos - 1;
      digits = pos;
    } else if (folded[pos] == '0' && pos + 2 < size && folded[pos + 1] == '0' &&
               IsAsciiDigit(folded[pos + 2]) && folded[pos + 2] != '0' &&
               !IsWordBefore(folded, pos) &&
               !ContinuesNumberBefore(folded, pos)) {
      start = pos;
      digits = pos + 2;
    }
    if (digits != 0) {
      if (const size_t end = MatchInternational(folded, start, digits);
          end != 0) {
        out->push_back(MakeDetection(folded, start, end));
        t = text.FirstTokenFrom(t + 1, end);
        continue;
      }
    }
    size_t end = 0;
    size_t run_end = 0;
    if (!IsWordBefore(folded, pos) && !ContinuesNumberBefore(folded, pos)) {
      end = MatchNational(folded, pos, &run_end);
    } else {
      const DigitGroups run = ReadDigitGroups(folded, pos, kSeparators);
      run_end = run.end[run.count - 1];
    }
    if (end != 0) {
      out->push_back(MakeDetection(folded, pos, end));
      t = text.FirstTokenFrom(t + 1, end);
      continue;
    }
    // Not a phone number as a whole: no part of it is one either.
    t = text.FirstTokenFrom(t + 1, std::max(run_end, pos + 1));
  }
}

}  // namespace agora::moderation::screening
