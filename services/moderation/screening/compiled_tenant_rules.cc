#include "services/moderation/screening/compiled_tenant_rules.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/moderation/screening/code_point_folding.h"
#include "services/moderation/screening/rule_validation.h"

namespace agora::moderation::screening {
namespace {

bool HasCountry(const std::vector<std::string>& countries,
                absl::string_view code) {
  for (const std::string& country : countries) {
    if (absl::EqualsIgnoreCase(country, code)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::shared_ptr<const CompiledTenantRules>> CompileTenantRules(
    const TenantScreeningConfig& config) {
  if (absl::Status status = ValidateTenantConfig(config); !status.ok()) {
    return status;
  }
  // Screening must never pay for the folding table.
  WarmUpCodePointFolding();
  std::shared_ptr<CompiledTenantRules> compiled(new CompiledTenantRules());
  compiled->prefilter_ = std::make_unique<PatternPrefilter>();
  absl::StatusOr<std::unique_ptr<TenantRuleMatcher>> rules =
      TenantRuleMatcher::Create(config.rules, compiled->prefilter_.get());
  if (!rules.ok()) return rules.status();
  compiled->rules_ = *std::move(rules);
  absl::StatusOr<std::unique_ptr<CredentialRequestDetector>> credentials =
      CredentialRequestDetector::Create();
  if (!credentials.ok()) return credentials.status();
  compiled->credential_requests_ = *std::move(credentials);
  absl::StatusOr<std::unique_ptr<StaffImpersonationDetector>> staff =
      StaffImpersonationDetector::Create(config.staff_names);
  if (!staff.ok()) return staff.status();
  compiled->staff_impersonation_ = *std::move(staff);
  std::string error;
  compiled->credential_requests_index_ = compiled->prefilter_->Add(
      compiled->credential_requests_->pattern(), &error);
  compiled->staff_impersonation_index_ = compiled->prefilter_->Add(
      compiled->staff_impersonation_->pattern(), &error);
  if (compiled->credential_requests_index_ < 0 ||
      compiled->staff_impersonation_index_ < 0) {
    return absl::InternalError(absl::StrCat("built-in phrases: ", error));
  }
  if (!compiled->prefilter_->Compile()) {
    return absl::InvalidArgumentError(
        "rules: too large to compile together; remove or shorten some");
  }
  absl::StatusOr<std::unique_ptr<LookalikeDomainDetector>> lookalikes =
      LookalikeDomainDetector::Create(config.link_policy.bank_domains);
  if (!lookalikes.ok()) return lookalikes.status();
  compiled->lookalike_domains_ = *std::move(lookalikes);
  compiled->link_policy_ = std::make_unique<LinkPolicy>(config.link_policy);
  compiled->phones_ = std::make_unique<PhoneDetector>(config.countries);
  compiled->shouting_uppercase_ratio_ = config.shouting_uppercase_ratio;
  compiled->finds_pl_pesel_ = HasCountry(config.countries, "PL");
  compiled->finds_nl_bsn_ = HasCountry(config.countries, "NL");
  return std::shared_ptr<const CompiledTenantRules>(std::move(compiled));
}

}  // namespace agora::moderation::screening
