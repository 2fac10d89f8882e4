#include "services/moderation/screening/screener.h"

#include <algorithm>
#include <string>
#include <vector>

#include "services/moderation/screening/builtin_rules.h"
#include "services/moderation/screening/card_number_detector.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/detection.h"
#include "services/moderation/screening/email_detector.h"
#include "services/moderation/screening/folded_text.h"
#include "services/moderation/screening/iban_detector.h"
#include "services/moderation/screening/link_extractor.h"
#include "services/moderation/screening/masked_text.h"
#include "services/moderation/screening/national_id_detector.h"
#include "services/moderation/screening/risk_weights.h"
#include "services/moderation/screening/shouting_detector.h"
#include "services/moderation/screening/text_tokens.h"
#include "services/moderation/screening/utf8.h"

namespace agora::moderation::screening {
namespace {

// A detection with the risk it carries.
struct Weighted {
  Detection detection;
  int risk;
};

// Folded spans already taken by personal data (or by IBAN-shaped strings):
// earlier detectors take precedence over later ones.
class ClaimedSpans {
 public:
  bool Overlaps(const Detection& detection) const {
    for (const auto& [begin, end] : spans_) {
      if (begin < detection.end && detection.begin < end) return true;
    }
    return false;
  }
  void Claim(const Detection& detection) {
    spans_.emplace_back(detection.begin, detection.end);
  }

 private:
  std::vector<std::pair<size_t, size_t>> spans_;
};

// Moves the `candidates` that overlap nothing claimed into `accepted` (when
// not null), claiming their spans.
void Accept(std::vector<Detection>* candidates, ClaimedSpans* claimed,
            std::vector<Detection>* accepted) {
  for (Detection& candidate : *candidates) {
    if (claimed->Overlaps(candidate)) continue;
    claimed->Claim(candidate);
    if (accepted != nullptr) accepted->push_back(std::move(candidate));
  }
  candidates->clear();
}

// The original characters of folded bytes [begin, end).
absl::string_view OriginalText(absl::string_view original,
                               const FoldedText& folded, size_t begin,
                               size_t end) {
  const CodePointSpan span = folded.OriginalSpan(begin, end);
  const size_t from = folded.OriginalByteOffset(span.begin);
  const size_t to = folded.OriginalByteOffset(span.end);
  return original.substr(from, to - from);
}

Detection MakeDetection(size_t begin, size_t end, FindingType type,
                        absl::string_view rule) {
  Detection detection;
  detection.begin = begin;
  detection.end = end;
  detection.type = type;
  detection.rule = rule;
  return detection;
}

// Screens the fields of one post, one at a time: appends each field's
// findings to the result and returns its masked text. Links are counted
// over the whole post (`link_count`).
class FieldScreening {
 public:
  FieldScreening(const ScreeningInput& input, const CompiledTenantRules& rules,
                 ScreeningResult* result, int* link_count)
      : input_(input),
        rules_(rules),
        result_(result),
        link_count_(link_count) {}

  std::string Screen(const TextField& field) {
    std::string repaired;
    absl::string_view original = field.text;
    FoldedText folded(original);
    if (!folded.valid_utf8()) {
      repaired = ToValidUtf8(original);
      original = repaired;
      folded = FoldedText(original);
    }
    const absl::string_view text = folded.text();
    const TextTokens tokens(text);

    std::vector<Detection> personal;
    std::vector<Detection> candidates;
    ClaimedSpans claimed;
    std::vector<EmailMatch> emails;
    FindEmailAddresses(text, &emails);
    for (const EmailMatch& email : emails) {
      Detection detection =
          MakeDetection(email.begin, email.end, FindingType::kEmailAddress,
                        kEmailAddressRule);
      detection.mask = static_cast<std::string>(kEmailMask);
      candidates.push_back(std::move(detection));
    }
    Accept(&candidates, &claimed, &personal);
    // IBAN-shaped strings with wrong check digits are not masked, but no
    // later detector may read their pieces as a phone number or a card.
    std::vector<Detection> iban_shaped;
    FindIbans(tokens, &candidates, &iban_shaped);
    Accept(&candidates, &claimed, &personal);
    Accept(&iban_shaped, &claimed, nullptr);
    FindCardNumbers(tokens, &candidates);
    Accept(&candidates, &claimed, &personal);
    FindFrNirs(tokens, &candidates);
    FindItCodiciFiscali(tokens, &candidates);
    FindEsDniNies(tokens, &candidates);
    if (rules_.finds_pl_pesel()) FindPlPesels(tokens, &candidates);
    if (rules_.finds_nl_bsn()) FindNlBsns(tokens, &candidates);
    Accept(&candidates, &claimed, &personal);
    rules_.phones().Find(tokens, &candidates);
    Accept(&candidates, &claimed, &personal);

    std::vector<Weighted> found;
    for (Detection& detection : personal) {
      const int risk = BuiltinRisk(detection.type);
      found.push_back({std::move(detection), risk});
    }

    const std::vector<int> prefiltered = rules_.prefilter().Match(text);
    std::vector<Detection> risks;
    if (Matched(prefiltered, rules_.credential_requests_index())) {
      rules_.credential_requests().Find(text, &risks);
    }
    if (!input_.author_is_staff &&
        Matched(prefiltered, rules_.staff_impersonation_index())) {
      rules_.staff_impersonation().Find(text, &risks);
    }
    FindShouting(folded, rules_.shouting_uppercase_ratio(), &risks);
    for (Detection& detection : risks) {
      const int risk = BuiltinRisk(detection.type);
      found.push_back({std::move(detection), risk});
    }

    const LookalikeDomainDetector& lookalikes = rules_.lookalike_domains();
    if (lookalikes.has_bank_domains()) {
      for (const EmailMatch& email : emails) {
        if (lookalikes.IsLookalike(
                OriginalText(original, folded, email.domain_begin, email.end),
                text.substr(email.domain_begin,
                            email.end - email.domain_begin))) {
          found.push_back({MakeDetection(email.begin, email.end,
                                         FindingType::kLookalikeDomain,
                                         kLookalikeDomainRule),
                           kLookalikeDomainRisk});
        }
      }
    }
    std::vector<Link> links;
    FindLinks(tokens, &links);
    std::vector<absl::string_view> broken;
    for (const Link& link : links) {
      bool in_email = false;
      for (const EmailMatch& email : emails) {
        in_email =
            in_email || (link.begin < email.end && email.begin < link.end);
      }
      if (in_email) continue;
      const absl::string_view original_host =
          OriginalText(original, folded, link.host_begin, link.host_end);
      const absl::string_view folded_host =
          text.substr(link.host_begin, link.host_end - link.host_begin);
      if (lookalikes.IsLookalike(original_host, folded_host)) {
        found.push_back(
            {MakeDetection(link.begin, link.end, FindingType::kLookalikeDomain,
                           kLookalikeDomainRule),
             kLookalikeDomainRisk});
      }
      const std::string real_host = lookalikes.RealHost(original_host);
      broken.clear();
      rules_.link_policy().Check(input_.trust_level, real_host,
                                 lookalikes.IsBankHost(real_host),
                                 (*link_count_)++, &broken);
      for (absl::string_view rule : broken) {
        found.push_back({MakeDetection(link.begin, link.end,
                                       FindingType::kLinkPolicy, rule),
                         kLinkPolicyRisk});
      }
    }

    std::vector<RuleMatch> matches;
    rules_.rules().Find(text, input_.language, input_.space, prefiltered,
                        &matches);
    for (const RuleMatch& match : matches) {
      const TenantRule& rule = *match.rule;
      int risk = rule.risk_weight;
      FindingType type = FindingType::kWatchedTerm;
      if (rule.action == RuleSpec::kBlock) {
        type = FindingType::kBlockedTerm;
        risk = kBlockRuleRisk;
        result_->block_required = true;
      } else if (rule.action == RuleSpec::kHold) {
        risk = kHoldRuleRisk;
        result_->hold_required = true;
      }
      found.push_back(
          {MakeDetection(match.begin, match.end, type, rule.name), risk});
    }

    std::vector<Redaction> redactions;
    for (const Weighted& weighted : found) {
      if (weighted.detection.mask.empty()) continue;
      redactions.push_back({folded.OriginalSpan(weighted.detection.begin,
                                                weighted.detection.end),
                            weighted.detection.mask});
    }
    const MaskedText masked(original, folded, std::move(redactions));

    const size_t first_finding = result_->findings.size();
    for (const Weighted& weighted : found) {
      const Detection& detection = weighted.detection;
      const CodePointSpan span = masked.MaskedSpan(
          folded.OriginalSpan(detection.begin, detection.end));
      Finding finding;
      finding.type = detection.type;
      finding.field = field.field;
      finding.start = static_cast<int>(span.begin);
      finding.length = static_cast<int>(span.end - span.begin);
      finding.rule = static_cast<std::string>(detection.rule);
      finding.risk = weighted.risk;
      finding.masked = !detection.mask.empty();
      result_->findings.push_back(std::move(finding));
    }
    std::stable_sort(
        result_->findings.begin() + first_finding, result_->findings.end(),
        [](const Finding& a, const Finding& b) { return a.start < b.start; });
    return masked.text();
  }

 private:
  const ScreeningInput& input_;
  const CompiledTenantRules& rules_;
  ScreeningResult* result_;
  int* link_count_;
};

}  // namespace

Screener::Screener() { WarmUpCodePointFolding(); }

ScreeningResult Screener::Screen(const ScreeningInput& input,
                                 const CompiledTenantRules& rules) const {
  ScreeningResult result;
  result.masked_texts.reserve(input.texts.size());
  int link_count = 0;
  FieldScreening screening(input, rules, &result, &link_count);
  for (const TextField& field : input.texts) {
    result.masked_texts.push_back({field.field, screening.Screen(field)});
  }
  result.risk_score = CountRiskOncePerRule(&result.findings);
  return result;
}

}  // namespace agora::moderation::screening
