#include "services/identity/repository/tenant_admin_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"

namespace agora::identity {

std::optional<TenantRecord> InsertTenantRow(pqxx::transaction_base& tx,
                                            const TenantRecord& tenant,
                                            absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          "INSERT INTO tenants AS t (id, display_name, default_language,"
          " allowed_languages, time_zone, state, hosts,"
          " reserved_display_names, terms_version, create_time, update_time,"
          " version)"
          " VALUES ($1, $2, $3, $4::text[], $5, $6, $7::text[], $8::text[],"
          " $9, (timestamptz 'epoch' + $10::bigint * interval '1 microsecond'),"
          " (timestamptz 'epoch' + $10::bigint * interval '1 microsecond'), 1)"
          " ON CONFLICT (id) DO NOTHING RETURNING ",
          kTenantColumns),
      tenant.id, tenant.display_name, tenant.default_language,
      ToTextArray(tenant.allowed_languages), tenant.time_zone,
      static_cast<int>(tenant.state), ToTextArray(tenant.hosts),
      ToTextArray(tenant.reserved_display_names), tenant.terms_version,
      absl::ToUnixMicros(now));
  if (rows.empty()) return std::nullopt;
  return TenantFromRow(rows[0]);
}

TenantRecord UpdateTenantRow(pqxx::transaction_base& tx,
                             const TenantRecord& tenant, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          "UPDATE tenants AS t SET display_name = $2, default_language = $3,"
          " allowed_languages = $4::text[], time_zone = $5, state = $6,"
          " hosts = $7::text[], reserved_display_names = $8::text[],"
          " terms_version = $9,"
          " update_time = greatest((timestamptz 'epoch' + $10::bigint * "
          "interval '1 microsecond'),"
          " t.update_time), version = t.version + 1"
          " WHERE t.id = $1 RETURNING ",
          kTenantColumns),
      tenant.id, tenant.display_name, tenant.default_language,
      ToTextArray(tenant.allowed_languages), tenant.time_zone,
      static_cast<int>(tenant.state), ToTextArray(tenant.hosts),
      ToTextArray(tenant.reserved_display_names), tenant.terms_version,
      absl::ToUnixMicros(now));
  return TenantFromRow(rows.at(0));
}

std::optional<std::string> ClaimTenantHosts(
    pqxx::transaction_base& tx, absl::string_view tenant,
    const std::vector<std::string>& hosts) {
  tx.exec_params("DELETE FROM tenant_hosts WHERE tenant = $1",
                 std::string(tenant));
  for (const std::string& host : hosts) {
    // A host another transaction is claiming makes this insert wait for it,
    // then see its outcome: two tenants never both get one host.
    const pqxx::result claimed = tx.exec_params(
        "INSERT INTO tenant_hosts (host, tenant) VALUES ($1, $2)"
        " ON CONFLICT (host) DO NOTHING",
        host, std::string(tenant));
    if (claimed.affected_rows() == 0) return host;
  }
  return std::nullopt;
}

std::vector<TenantRecord> ListTenantRows(pqxx::transaction_base& tx,
                                         absl::string_view after_id,
                                         int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kTenantColumns,
                   " FROM tenants t WHERE t.id > $1 ORDER BY t.id LIMIT $2"),
      std::string(after_id), limit);
  std::vector<TenantRecord> tenants;
  tenants.reserve(rows.size());
  for (const pqxx::row& row : rows) tenants.push_back(TenantFromRow(row));
  return tenants;
}

}  // namespace agora::identity
