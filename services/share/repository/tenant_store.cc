#include "services/share/repository/tenant_store.h"

namespace agora::share {
namespace {

std::optional<absl::Time> TimeOrNull(const pqxx::field& micros) {
  if (micros.is_null()) return std::nullopt;
  return absl::FromUnixMicros(micros.as<int64_t>());
}

}  // namespace

std::optional<TenantRow> LoadTenant(pqxx::transaction_base& tx,
                                    const std::string& tenant, bool lock) {
  const pqxx::result rows = tx.exec_params(
      std::string(
          "SELECT time_zone, settings, version,"
          " (extract(epoch FROM settings_update_time) * 1000000)::bigint,"
          " (extract(epoch FROM last_flush_time) * 1000000)::bigint"
          " FROM tenants WHERE tenant = $1") +
          (lock ? " FOR UPDATE" : ""),
      tenant);
  if (rows.empty()) return std::nullopt;
  TenantRow row;
  row.time_zone = rows[0][0].as<std::string>();
  if (!rows[0][1].is_null()) {
    row.settings = pqxx::binarystring(rows[0][1]).str();
  }
  row.version = rows[0][2].as<int64_t>();
  row.settings_update_time = TimeOrNull(rows[0][3]);
  row.last_flush_time = TimeOrNull(rows[0][4]);
  return row;
}

void SaveTenantZone(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& time_zone) {
  tx.exec_params(
      "INSERT INTO tenants (tenant, time_zone) VALUES ($1, $2)"
      " ON CONFLICT (tenant) DO UPDATE SET time_zone = excluded.time_zone",
      tenant, time_zone.empty() ? std::string("UTC") : time_zone);
}

int64_t SaveSettings(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& serialized) {
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO tenants (tenant, settings, version, settings_update_time)"
      " VALUES ($1, $2, 1, now())"
      " ON CONFLICT (tenant) DO UPDATE SET settings = excluded.settings,"
      " version = tenants.version + 1, settings_update_time = now()"
      " RETURNING version",
      tenant, pqxx::binarystring(serialized));
  return rows[0][0].as<int64_t>();
}

std::vector<std::string> ListTenants(pqxx::transaction_base& tx) {
  std::vector<std::string> tenants;
  for (const pqxx::row& row :
       tx.exec("SELECT tenant FROM tenants ORDER BY tenant")) {
    tenants.push_back(row[0].as<std::string>());
  }
  return tenants;
}

void SetLastFlushTime(pqxx::transaction_base& tx, const std::string& tenant) {
  tx.exec_params("UPDATE tenants SET last_flush_time = now() WHERE tenant = $1",
                 tenant);
}

}  // namespace agora::share
