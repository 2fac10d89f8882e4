#include "services/moderation/domain/rules_cache.h"

#include <utility>

#include "libs/logging/log.h"
#include "services/moderation/domain/engine_adapter.h"
#include "services/moderation/repository/policy_store.h"
#include "services/moderation/repository/rule_store.h"
#include "services/moderation/screening/rule_validation.h"

namespace agora::moderation {

absl::StatusOr<std::shared_ptr<const TenantScreeningSetup>> RulesCache::Get(
    pqxx::transaction_base& tx, const std::string& tenant) {
  const int64_t generation = ScreeningConfigGeneration(tx, tenant);
  {
    absl::MutexLock lock(&mu_);
    auto found = setups_.find(tenant);
    if (found != setups_.end() && found->second->generation == generation)
      return found->second;
  }
  auto setup = std::make_shared<TenantScreeningSetup>();
  setup->generation = generation;
  setup->policy = LoadPolicy(tx, tenant);
  std::vector<v1::Rule> rules;
  for (v1::Rule& rule : LoadRules(tx, tenant)) {
    // Rules are validated when saved; one that no longer compiles (an
    // engine upgrade) is skipped and reported rather than stopping every
    // screening of the tenant.
    if (absl::Status valid = screening::ValidateRule(EngineRule(rule));
        !valid.ok()) {
      logging::Error("moderation: stored rule skipped",
                     {{"rule", rule.name()}, {"error", valid.ToString()}});
      continue;
    }
    rules.push_back(std::move(rule));
  }
  absl::StatusOr<std::shared_ptr<const screening::CompiledTenantRules>>
      compiled = screening::CompileTenantRules(
          EngineConfig(base_, setup->policy, rules));
  if (!compiled.ok()) return compiled.status();
  setup->rules = *std::move(compiled);
  absl::MutexLock lock(&mu_);
  setups_[tenant] = setup;
  return setup;
}

}  // namespace agora::moderation
