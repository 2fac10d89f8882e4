// The tenant's link rules applied to one link: who may post links, to which
// domains, and how many per post.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_LINK_POLICY_H_
#define AGORA_SERVICES_MODERATION_SCREENING_LINK_POLICY_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation::screening {

class LinkPolicy {
 public:
  // `spec` must have passed ValidateTenantConfig.
  explicit LinkPolicy(const LinkPolicySpec& spec);

  // The built-in rules (builtin_rules.h) the `index`-th link of a post
  // (0-based, all fields together) breaks, appended to `rules`:
  //   - kLinkTrustLevelRule when `trust_level` is below the minimum (then
  //     nothing else is checked: no link may be posted at all);
  //   - kLinkDomainRule when allowed domains are configured and
  //     `real_host` (where the link leads, lowercase) is none of them and
  //     not a bank domain (`is_bank_host`);
  //   - kLinkCountRule when index >= max_links_per_post.
  void Check(int trust_level, absl::string_view real_host, bool is_bank_host,
             int index, std::vector<absl::string_view>* rules) const;

  // True when `real_host` matches an allowed domain: "example.com" matches
  // example.com and www.example.com; "*.example.com" matches example.com
  // and every subdomain.
  bool IsAllowedDomain(absl::string_view real_host) const;

 private:
  struct AllowedDomain {
    std::string domain;
    bool subdomains;
  };

  std::vector<AllowedDomain> allowed_;
  int min_trust_level_;
  int max_links_per_post_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_LINK_POLICY_H_
