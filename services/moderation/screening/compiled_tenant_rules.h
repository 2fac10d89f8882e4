// A tenant's screening configuration compiled once: RE2 programs, the
// phone numbering plans of its countries, its bank domains' names and
// skeletons, its staff names. Immutable after CompileTenantRules, shared by
// every screening thread through a shared_ptr<const>; the service swaps in a
// new one when a rule or the policy changes.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_COMPILED_TENANT_RULES_H_
#define AGORA_SERVICES_MODERATION_SCREENING_COMPILED_TENANT_RULES_H_

#include <memory>

#include "absl/status/statusor.h"
#include "services/moderation/screening/credential_request_detector.h"
#include "services/moderation/screening/link_policy.h"
#include "services/moderation/screening/lookalike_domain_detector.h"
#include "services/moderation/screening/pattern_prefilter.h"
#include "services/moderation/screening/phone_detector.h"
#include "services/moderation/screening/staff_impersonation_detector.h"
#include "services/moderation/screening/tenant_config.h"
#include "services/moderation/screening/tenant_rule_matcher.h"

namespace agora::moderation::screening {

class CompiledTenantRules {
 public:
  CompiledTenantRules(const CompiledTenantRules&) = delete;
  CompiledTenantRules& operator=(const CompiledTenantRules&) = delete;

  // Every regular expression of the tenant in one pass: run it first on a
  // folded text, then only the matchers it reports.
  const PatternPrefilter& prefilter() const { return *prefilter_; }
  const TenantRuleMatcher& rules() const { return *rules_; }
  // Indices of the credential and staff phrases in prefilter().
  int credential_requests_index() const { return credential_requests_index_; }
  int staff_impersonation_index() const { return staff_impersonation_index_; }
  const CredentialRequestDetector& credential_requests() const {
    return *credential_requests_;
  }
  const StaffImpersonationDetector& staff_impersonation() const {
    return *staff_impersonation_;
  }
  const LookalikeDomainDetector& lookalike_domains() const {
    return *lookalike_domains_;
  }
  const LinkPolicy& link_policy() const { return *link_policy_; }
  const PhoneDetector& phones() const { return *phones_; }
  double shouting_uppercase_ratio() const { return shouting_uppercase_ratio_; }
  // PESEL and BSN are looked for only in Polish and Dutch tenants.
  bool finds_pl_pesel() const { return finds_pl_pesel_; }
  bool finds_nl_bsn() const { return finds_nl_bsn_; }

 private:
  friend absl::StatusOr<std::shared_ptr<const CompiledTenantRules>>
  CompileTenantRules(const TenantScreeningConfig& config);
  CompiledTenantRules() = default;

  std::unique_ptr<PatternPrefilter> prefilter_;
  std::unique_ptr<TenantRuleMatcher> rules_;
  int credential_requests_index_ = -1;
  int staff_impersonation_index_ = -1;
  std::unique_ptr<CredentialRequestDetector> credential_requests_;
  std::unique_ptr<StaffImpersonationDetector> staff_impersonation_;
  std::unique_ptr<LookalikeDomainDetector> lookalike_domains_;
  std::unique_ptr<LinkPolicy> link_policy_;
  std::unique_ptr<PhoneDetector> phones_;
  double shouting_uppercase_ratio_ = 0.7;
  bool finds_pl_pesel_ = false;
  bool finds_nl_bsn_ = false;
};

// Validates `config` (ValidateTenantConfig: INVALID_ARGUMENT naming the
// field, e.g. `rules[2] ("no-crypto").pattern: does not compile: missing
// ): (crypto`) and compiles it: about 20 ms for 50 rules in a release
// build (most of it the built-in phrases), longer for tens of thousands of
// terms; do it when the configuration changes, not per screening.
// INVALID_ARGUMENT "rules: too large to compile together" when all the
// rules do not fit the prefilter's memory budget; INTERNAL only if a
// built-in detector fails to build.
absl::StatusOr<std::shared_ptr<const CompiledTenantRules>> CompileTenantRules(
    const TenantScreeningConfig& config);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_COMPILED_TENANT_RULES_H_
