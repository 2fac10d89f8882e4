// The tenants share knows (from identity's events) with their time zone,
// share settings (serialized agora.share.v1.ShareSettings) and the time of
// their last flush. The repository alone knows the SQL.
#ifndef AGORA_SERVICES_SHARE_REPOSITORY_TENANT_STORE_H_
#define AGORA_SERVICES_SHARE_REPOSITORY_TENANT_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace agora::share {

struct TenantRow {
  std::string time_zone = "UTC";
  // Serialized ShareSettings; nullopt until an admin sets them.
  std::optional<std::string> settings;
  int64_t version = 0;
  std::optional<absl::Time> settings_update_time;
  std::optional<absl::Time> last_flush_time;
};

// `lock`: SELECT ... FOR UPDATE (settings updates and flushes of one tenant
// run one at a time).
std::optional<TenantRow> LoadTenant(pqxx::transaction_base& tx,
                                    const std::string& tenant,
                                    bool lock = false);

// Records a tenant (or its new time zone).
void SaveTenantZone(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& time_zone);

// Stores new settings (creating the tenant row if needed); returns the new
// version.
int64_t SaveSettings(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& serialized);

// Every tenant share knows.
std::vector<std::string> ListTenants(pqxx::transaction_base& tx);

void SetLastFlushTime(pqxx::transaction_base& tx, const std::string& tenant);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_REPOSITORY_TENANT_STORE_H_
