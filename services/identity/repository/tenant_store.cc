#include "services/identity/repository/tenant_store.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {

const char kTenantColumns[] =
    "t.id, t.display_name, t.default_language, t.allowed_languages,"
    " t.time_zone, t.state, t.hosts, t.reserved_display_names,"
    " t.terms_version, (extract(epoch from t.create_time) * 1e6)::bigint,"
    " (extract(epoch from t.update_time) * 1e6)::bigint, t.version";

bool TenantRecord::AllowsLanguage(absl::string_view language) const {
  return std::find(allowed_languages.begin(), allowed_languages.end(),
                   language) != allowed_languages.end();
}

TenantRecord TenantFromRow(const pqxx::row& row) {
  TenantRecord t;
  t.id = row[0].as<std::string>();
  t.display_name = row[1].as<std::string>();
  t.default_language = row[2].as<std::string>();
  t.allowed_languages = ParseTextArray(row[3]);
  t.time_zone = row[4].as<std::string>();
  t.state = static_cast<v1::Tenant::State>(row[5].as<int>());
  t.hosts = ParseTextArray(row[6]);
  t.reserved_display_names = ParseTextArray(row[7]);
  t.terms_version = row[8].as<std::string>();
  t.create_time = absl::FromUnixMicros(row[9].as<int64_t>());
  t.update_time = absl::FromUnixMicros(row[10].as<int64_t>());
  t.version = row[11].as<int64_t>();
  return t;
}

absl::StatusOr<TenantRecord> LoadTenant(pqxx::transaction_base& tx,
                                        absl::string_view id, bool for_update) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kTenantColumns, " FROM tenants t WHERE t.id = $1",
                   for_update ? " FOR UPDATE" : ""),
      std::string(id));
  if (rows.empty()) return absl::NotFoundError("tenant not found");
  return TenantFromRow(rows[0]);
}

absl::StatusOr<TenantRecord> LoadWritableTenant(pqxx::transaction_base& tx,
                                                absl::string_view id) {
  absl::StatusOr<TenantRecord> tenant = LoadTenant(tx, id);
  if (tenant.ok() && tenant->state == v1::Tenant::STATE_SUSPENDED) {
    return absl::FailedPreconditionError(
        "the tenant is suspended: read-only for now");
  }
  return tenant;
}

std::string TenantEtag(const TenantRecord& tenant) {
  return absl::StrCat("t", tenant.version);
}

v1::Tenant ToTenantProto(const TenantRecord& t) {
  v1::Tenant out;
  out.set_name(TenantName(t.id));
  out.set_display_name(t.display_name);
  out.set_default_language(t.default_language);
  for (const std::string& l : t.allowed_languages) out.add_allowed_languages(l);
  out.set_time_zone(t.time_zone);
  out.set_state(t.state);
  for (const std::string& h : t.hosts) out.add_hosts(h);
  for (const std::string& n : t.reserved_display_names) {
    out.add_reserved_display_names(n);
  }
  out.set_terms_version(t.terms_version);
  SetTimestamp(out.mutable_create_time(), t.create_time);
  SetTimestamp(out.mutable_update_time(), t.update_time);
  out.set_etag(TenantEtag(t));
  return out;
}

}  // namespace agora::identity
