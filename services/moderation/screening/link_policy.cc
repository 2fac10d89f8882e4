#include "services/moderation/screening/link_policy.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "services/moderation/screening/builtin_rules.h"

namespace agora::moderation::screening {

LinkPolicy::LinkPolicy(const LinkPolicySpec& spec)
    : min_trust_level_(spec.min_trust_level),
      max_links_per_post_(spec.max_links_per_post) {
  for (const std::string& domain : spec.allowed_domains) {
    AllowedDomain allowed;
    allowed.domain = absl::AsciiStrToLower(domain);
    allowed.subdomains = absl::StartsWith(allowed.domain, "*.");
    if (allowed.subdomains) allowed.domain.erase(0, 2);
    allowed_.push_back(std::move(allowed));
  }
}

bool LinkPolicy::IsAllowedDomain(absl::string_view real_host) const {
  absl::string_view without_www = real_host;
  absl::ConsumePrefix(&without_www, "www.");
  for (const AllowedDomain& allowed : allowed_) {
    if (real_host == allowed.domain || without_www == allowed.domain) {
      return true;
    }
    if (allowed.subdomains && real_host.size() > allowed.domain.size() &&
        absl::EndsWith(real_host, allowed.domain) &&
        real_host[real_host.size() - allowed.domain.size() - 1] == '.') {
      return true;
    }
  }
  return false;
}

void LinkPolicy::Check(int trust_level, absl::string_view real_host,
                       bool is_bank_host, int index,
                       std::vector<absl::string_view>* rules) const {
  if (trust_level < 1 || trust_level > 5) trust_level = 1;
  if (trust_level < min_trust_level_) {
    rules->push_back(kLinkTrustLevelRule);
    return;
  }
  if (!allowed_.empty() && !is_bank_host && !IsAllowedDomain(real_host)) {
    rules->push_back(kLinkDomainRule);
  }
  if (index >= max_links_per_post_) rules->push_back(kLinkCountRule);
}

}  // namespace agora::moderation::screening
