#include "tests/services/moderation/screening/screening_fixtures.h"

#include <cstdlib>
#include <iostream>

namespace agora::moderation::screening::testing {

TenantScreeningConfig BankTenantConfig() {
  TenantScreeningConfig config;
  config.link_policy.bank_domains = {"bnpparibas.fr", "mabanque.bnpparibas",
                                     "hellobank.fr"};
  config.staff_names = {"BNP Paribas", "Hello bank!", "Support"};
  config.countries = {"FR", "IT", "PL", "NL"};
  return config;
}

std::shared_ptr<const CompiledTenantRules> MustCompile(
    const TenantScreeningConfig& config) {
  absl::StatusOr<std::shared_ptr<const CompiledTenantRules>> rules =
      CompileTenantRules(config);
  if (!rules.ok()) {
    std::cerr << "fixture does not compile: " << rules.status() << "\n";
    std::abort();
  }
  return *rules;
}

ScreeningResult ScreenBody(const CompiledTenantRules& rules,
                           const std::string& text,
                           const ScreenOptions& options) {
  static const Screener screener;
  ScreeningInput input;
  input.language = options.language;
  input.trust_level = options.trust_level;
  input.author_is_staff = options.author_is_staff;
  input.space = options.space;
  input.texts.push_back({"body", text});
  return screener.Screen(input, rules);
}

std::vector<Finding> FindingsOfType(const ScreeningResult& result,
                                    FindingType type) {
  std::vector<Finding> found;
  for (const Finding& finding : result.findings) {
    if (finding.type == type) found.push_back(finding);
  }
  return found;
}

std::vector<Finding> MaskedFindings(const ScreeningResult& result) {
  std::vector<Finding> found;
  for (const Finding& finding : result.findings) {
    if (finding.masked) found.push_back(finding);
  }
  return found;
}

}  // namespace agora::moderation::screening::testing
