#include "services/identity/repository/provider_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

constexpr char kProviderColumns[] =
    "p.tenant, p.id, p.type, p.display_name, p.display_order, p.enabled,"
    " p.issuer, p.authorization_endpoint, p.token_endpoint,"
    " p.userinfo_endpoint, p.jwks_uri, p.client_id, p.client_secret_source,"
    " p.scopes, p.allowed_redirect_uris,"
    " (extract(epoch from p.create_time) * 1e6)::bigint,"
    " (extract(epoch from p.update_time) * 1e6)::bigint, p.version";

ProviderRecord ProviderFromRow(const pqxx::row& row) {
  ProviderRecord p;
  p.tenant = row[0].as<std::string>();
  p.id = row[1].as<std::string>();
  p.type = static_cast<v1::IdentityProvider::Type>(row[2].as<int>());
  p.display_name = row[3].as<std::string>();
  p.display_order = row[4].as<int>();
  p.enabled = row[5].as<bool>();
  p.issuer = row[6].as<std::string>();
  p.authorization_endpoint = row[7].as<std::string>();
  p.token_endpoint = row[8].as<std::string>();
  p.userinfo_endpoint = row[9].as<std::string>();
  p.jwks_uri = row[10].as<std::string>();
  p.client_id = row[11].as<std::string>();
  p.client_secret_source = row[12].as<std::string>();
  p.scopes = ParseTextArray(row[13]);
  p.allowed_redirect_uris = ParseTextArray(row[14]);
  p.create_time = absl::FromUnixMicros(row[15].as<int64_t>());
  p.update_time = absl::FromUnixMicros(row[16].as<int64_t>());
  p.version = row[17].as<int64_t>();
  return p;
}

}  // namespace

absl::StatusOr<ProviderRecord> LoadProvider(pqxx::transaction_base& tx,
                                            absl::string_view tenant,
                                            absl::string_view id,
                                            bool for_update) {
  const pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT ", kProviderColumns,
                                  " FROM identity_providers p"
                                  " WHERE p.tenant = $1 AND p.id = $2",
                                  for_update ? " FOR UPDATE" : ""),
                     std::string(tenant), std::string(id));
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat(ProviderResourceName(tenant, id), " not found"));
  }
  return ProviderFromRow(rows[0]);
}

std::string ProviderEtag(const ProviderRecord& provider) {
  return absl::StrCat("p", provider.version);
}

v1::IdentityProvider ToProviderProto(const ProviderRecord& p, bool full) {
  v1::IdentityProvider out;
  out.set_name(ProviderResourceName(p.tenant, p.id));
  out.set_type(p.type);
  out.set_display_name(p.display_name);
  out.set_display_order(p.display_order);
  if (!full) return out;
  out.set_enabled(p.enabled);
  out.set_issuer(p.issuer);
  out.set_authorization_endpoint(p.authorization_endpoint);
  out.set_token_endpoint(p.token_endpoint);
  out.set_userinfo_endpoint(p.userinfo_endpoint);
  out.set_jwks_uri(p.jwks_uri);
  out.set_client_id(p.client_id);
  out.set_client_secret_source(p.client_secret_source);
  for (const std::string& scope : p.scopes) out.add_scopes(scope);
  for (const std::string& uri : p.allowed_redirect_uris) {
    out.add_allowed_redirect_uris(uri);
  }
  SetTimestamp(out.mutable_create_time(), p.create_time);
  SetTimestamp(out.mutable_update_time(), p.update_time);
  out.set_etag(ProviderEtag(p));
  return out;
}

std::optional<ProviderRecord> InsertProviderRow(pqxx::transaction_base& tx,
                                                const ProviderRecord& p,
                                                absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          "INSERT INTO identity_providers AS p (tenant, id, type,"
          " display_name, display_order, enabled, issuer,"
          " authorization_endpoint, token_endpoint, userinfo_endpoint,"
          " jwks_uri, client_id, client_secret_source, scopes,"
          " allowed_redirect_uris, create_time, update_time, version)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,"
          " $14::text[], $15::text[], (timestamptz 'epoch' + $16::bigint * "
          "interval '1 microsecond'),"
          " (timestamptz 'epoch' + $16::bigint * interval '1 microsecond'), 1)"
          " ON CONFLICT (tenant, id) DO NOTHING RETURNING ",
          kProviderColumns),
      p.tenant, p.id, static_cast<int>(p.type), p.display_name, p.display_order,
      p.enabled, p.issuer, p.authorization_endpoint, p.token_endpoint,
      p.userinfo_endpoint, p.jwks_uri, p.client_id, p.client_secret_source,
      ToTextArray(p.scopes), ToTextArray(p.allowed_redirect_uris),
      absl::ToUnixMicros(now));
  if (rows.empty()) return std::nullopt;
  return ProviderFromRow(rows[0]);
}

ProviderRecord UpdateProviderRow(pqxx::transaction_base& tx,
                                 const ProviderRecord& p, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("UPDATE identity_providers AS p SET display_name = $3,"
                   " display_order = $4, enabled = $5, issuer = $6,"
                   " authorization_endpoint = $7, token_endpoint = $8,"
                   " userinfo_endpoint = $9, jwks_uri = $10, client_id = $11,"
                   " client_secret_source = $12, scopes = $13::text[],"
                   " allowed_redirect_uris = $14::text[],"
                   " update_time = greatest((timestamptz 'epoch' + $15::bigint "
                   "* interval '1 microsecond'),"
                   " p.update_time), version = p.version + 1"
                   " WHERE p.tenant = $1 AND p.id = $2 RETURNING ",
                   kProviderColumns),
      p.tenant, p.id, p.display_name, p.display_order, p.enabled, p.issuer,
      p.authorization_endpoint, p.token_endpoint, p.userinfo_endpoint,
      p.jwks_uri, p.client_id, p.client_secret_source, ToTextArray(p.scopes),
      ToTextArray(p.allowed_redirect_uris), absl::ToUnixMicros(now));
  return ProviderFromRow(rows.at(0));
}

void DeleteProviderRow(pqxx::transaction_base& tx, absl::string_view tenant,
                       absl::string_view id) {
  tx.exec_params("DELETE FROM identity_providers WHERE tenant = $1 AND id = $2",
                 std::string(tenant), std::string(id));
}

std::vector<ProviderRecord> ListProviderRows(
    pqxx::transaction_base& tx, absl::string_view tenant, bool enabled_only,
    const std::optional<ProviderPosition>& after, int limit) {
  // Without a position, (-1, '') sorts before every stored provider
  // (display_order is 0-1,000).
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kProviderColumns,
                   " FROM identity_providers p"
                   " WHERE p.tenant = $1 AND (p.enabled OR NOT $2::boolean)"
                   " AND (p.display_order, p.id) > ($3::integer, $4::text)"
                   " ORDER BY p.display_order, p.id LIMIT $5"),
      std::string(tenant), enabled_only, after ? after->display_order : -1,
      after ? after->id : std::string(), limit);
  std::vector<ProviderRecord> providers;
  providers.reserve(rows.size());
  for (const pqxx::row& row : rows) providers.push_back(ProviderFromRow(row));
  return providers;
}

}  // namespace agora::identity
