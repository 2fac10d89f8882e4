// Shared set-up of the screening tests: a tenant configuration like a
// French bank's, and one-line screening of a single text.
#ifndef AGORA_TESTS_SERVICES_MODERATION_SCREENING_SCREENING_FIXTURES_H_
#define AGORA_TESTS_SERVICES_MODERATION_SCREENING_SCREENING_FIXTURES_H_

#include <memory>
#include <string>
#include <vector>

#include "services/moderation/screening/compiled_tenant_rules.h"
#include "services/moderation/screening/screener.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation::screening::testing {

// Bank domains bnpparibas.fr, mabanque.bnpparibas, hellobank.fr; staff
// names "BNP Paribas", "Hello bank!", "Support"; countries FR, IT, PL, NL;
// no rules; default link policy.
TenantScreeningConfig BankTenantConfig();

// CompileTenantRules, aborting the test binary on failure (fixtures must
// compile).
std::shared_ptr<const CompiledTenantRules> MustCompile(
    const TenantScreeningConfig& config);

struct ScreenOptions {
  int trust_level = 3;
  bool author_is_staff = false;
  std::string language = "fr";
  std::string space = "tenants/fr/spaces/general";
};

// Screens one "body" field.
ScreeningResult ScreenBody(const CompiledTenantRules& rules,
                           const std::string& text,
                           const ScreenOptions& options = {});

// The findings of `type`.
std::vector<Finding> FindingsOfType(const ScreeningResult& result,
                                    FindingType type);

// The findings of personal data (masked).
std::vector<Finding> MaskedFindings(const ScreeningResult& result);

}  // namespace agora::moderation::screening::testing

#endif  // AGORA_TESTS_SERVICES_MODERATION_SCREENING_SCREENING_FIXTURES_H_
