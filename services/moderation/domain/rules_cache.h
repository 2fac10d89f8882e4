// Compiled screening configuration per tenant (rules and policy compiled by
// the screening engine), shared read-only by concurrent screenings and
// recompiled when the tenant's generation (rule_store.h) moves on. Every
// replica keeps its own copy; the generation makes them converge.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_RULES_CACHE_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_RULES_CACHE_H_

#include <map>
#include <memory>
#include <pqxx/transaction_base>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "services/moderation/screening/compiled_tenant_rules.h"
#include "services/moderation/screening/tenant_config.h"

namespace agora::moderation {

// What screening needs of a tenant, compiled.
struct TenantScreeningSetup {
  int64_t generation = 0;
  agora::moderation::v1::ModerationPolicy policy;
  std::shared_ptr<const screening::CompiledTenantRules> rules;
};

class RulesCache {
 public:
  // Tenant-wide engine settings that are not per-tenant data: the bank's
  // staff names and phone countries come from the service's flags.
  explicit RulesCache(screening::TenantScreeningConfig base)
      : base_(std::move(base)) {}

  // The current setup of `tenant`, read in `tx` (one cheap query when
  // nothing changed; a reload and recompile otherwise).
  absl::StatusOr<std::shared_ptr<const TenantScreeningSetup>> Get(
      pqxx::transaction_base& tx, const std::string& tenant);

 private:
  const screening::TenantScreeningConfig base_;
  absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<const TenantScreeningSetup>> setups_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_RULES_CACHE_H_
