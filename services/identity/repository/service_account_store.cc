#include "services/identity/repository/service_account_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

// Times cross the boundary as microseconds since the epoch, both ways, so
// that page positions compare exactly.
std::string Micros(absl::string_view column) {
  return absl::StrCat(" (extract(epoch from ", column, ") * 1e6)::bigint");
}
std::string At(absl::string_view param) {
  return absl::StrCat(" (timestamptz 'epoch' + ", param,
                      "::bigint * interval '1 microsecond')");
}

const std::string& AccountColumns() {
  static const std::string kColumns = absl::StrCat(
      "a.tenant, a.id, a.display_name, a.description, a.scopes, a.state,",
      Micros("a.create_time"), ",", Micros("a.update_time"), ",",
      Micros("a.last_token_time"), ", a.version");
  return kColumns;
}

const std::string& SecretColumns() {
  static const std::string kColumns = absl::StrCat(
      "s.id::text, s.tenant, s.account, s.hint,", Micros("s.expire_time"), ",",
      Micros("s.create_time"), ",", Micros("s.last_used_time"));
  return kColumns;
}

std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

ServiceAccountRecord AccountFromRow(const pqxx::row& row) {
  ServiceAccountRecord a;
  a.tenant = row[0].as<std::string>();
  a.id = row[1].as<std::string>();
  a.display_name = row[2].as<std::string>();
  a.description = row[3].as<std::string>();
  a.scopes = ParseTextArray(row[4]);
  a.state = static_cast<v1::ServiceAccount::State>(row[5].as<int>());
  a.create_time = absl::FromUnixMicros(row[6].as<int64_t>());
  a.update_time = absl::FromUnixMicros(row[7].as<int64_t>());
  a.last_token_time = OptionalTime(row[8]);
  a.version = row[9].as<int64_t>();
  return a;
}

SecretRecord SecretFromRow(const pqxx::row& row) {
  SecretRecord s;
  s.id = row[0].as<std::string>();
  s.tenant = row[1].as<std::string>();
  s.account = row[2].as<std::string>();
  s.hint = row[3].as<std::string>();
  s.expire_time = OptionalTime(row[4]);
  s.create_time = absl::FromUnixMicros(row[5].as<int64_t>());
  s.last_used_time = OptionalTime(row[6]);
  return s;
}

}  // namespace

absl::StatusOr<ServiceAccountRecord> LoadServiceAccount(
    pqxx::transaction_base& tx, absl::string_view tenant, absl::string_view id,
    bool for_update) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", AccountColumns(),
                   " FROM service_accounts a WHERE a.tenant = $1 AND a.id = $2",
                   for_update ? " FOR UPDATE" : ""),
      std::string(tenant), std::string(id));
  if (rows.empty()) {
    return absl::NotFoundError(
        absl::StrCat(ServiceAccountResourceName(tenant, id), " not found"));
  }
  return AccountFromRow(rows[0]);
}

std::optional<ServiceAccountRecord> InsertServiceAccountRow(
    pqxx::transaction_base& tx, const ServiceAccountRecord& a, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("INSERT INTO service_accounts AS a (tenant, id,"
                   " display_name, description, scopes, state, create_time,"
                   " update_time, version)"
                   " VALUES ($1, $2, $3, $4, $5::text[], $6,",
                   At("$7"), ",", At("$7"),
                   ", 1) ON CONFLICT (tenant, id) DO NOTHING RETURNING ",
                   AccountColumns()),
      a.tenant, a.id, a.display_name, a.description, ToTextArray(a.scopes),
      static_cast<int>(a.state), absl::ToUnixMicros(now));
  if (rows.empty()) return std::nullopt;
  return AccountFromRow(rows[0]);
}

ServiceAccountRecord UpdateServiceAccountRow(pqxx::transaction_base& tx,
                                             const ServiceAccountRecord& a,
                                             absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("UPDATE service_accounts AS a SET display_name = $3,"
                   " description = $4, scopes = $5::text[], state = $6,"
                   " update_time = greatest(",
                   At("$7"),
                   ", a.update_time), version = a.version + 1"
                   " WHERE a.tenant = $1 AND a.id = $2 RETURNING ",
                   AccountColumns()),
      a.tenant, a.id, a.display_name, a.description, ToTextArray(a.scopes),
      static_cast<int>(a.state), absl::ToUnixMicros(now));
  return AccountFromRow(rows.at(0));
}

void DeleteServiceAccountRow(pqxx::transaction_base& tx,
                             absl::string_view tenant, absl::string_view id) {
  tx.exec_params("DELETE FROM service_accounts WHERE tenant = $1 AND id = $2",
                 std::string(tenant), std::string(id));
}

std::vector<ServiceAccountRecord> ListServiceAccountRows(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view after_id, int limit) {
  const pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT ", AccountColumns(),
                                  " FROM service_accounts a WHERE a.tenant = $1"
                                  " AND a.id > $2 ORDER BY a.id LIMIT $3"),
                     std::string(tenant), std::string(after_id), limit);
  std::vector<ServiceAccountRecord> accounts;
  accounts.reserve(rows.size());
  for (const pqxx::row& row : rows) accounts.push_back(AccountFromRow(row));
  return accounts;
}

int CountSecrets(pqxx::transaction_base& tx, absl::string_view tenant,
                 absl::string_view account) {
  return tx
      .exec_params(
          "SELECT count(*) FROM service_account_secrets"
          " WHERE tenant = $1 AND account = $2",
          std::string(tenant), std::string(account))
      .at(0)
      .at(0)
      .as<int>();
}

SecretRecord InsertSecretRow(pqxx::transaction_base& tx,
                             absl::string_view tenant,
                             absl::string_view account,
                             absl::string_view secret_hash,
                             absl::string_view hint,
                             std::optional<absl::Time> expire_time,
                             absl::Time now) {
  // An expiry of -1 stands for none.
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          "INSERT INTO service_account_secrets AS s (id, tenant, account,"
          " secret_hash, hint, expire_time, create_time)"
          " VALUES (gen_random_uuid(), $1, $2, $3, $4,"
          " CASE WHEN $5::bigint < 0 THEN NULL ELSE",
          At("$5"), " END,", At("$6"), ") RETURNING ", SecretColumns()),
      std::string(tenant), std::string(account),
      pqxx::binarystring(std::string(secret_hash)), std::string(hint),
      expire_time ? absl::ToUnixMicros(*expire_time) : int64_t{-1},
      absl::ToUnixMicros(now));
  return SecretFromRow(rows.at(0));
}

std::vector<SecretRecord> ListSecretRows(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view account, const std::optional<SecretPosition>& after,
    int limit) {
  // Without a position, the largest bigint sorts after every secret.
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", SecretColumns(),
                   " FROM service_account_secrets s"
                   " WHERE s.tenant = $1 AND s.account = $2 AND (",
                   Micros("s.create_time"),
                   ", s.id::text) < ($3::bigint, $4::text)"
                   " ORDER BY s.create_time DESC, s.id::text DESC LIMIT $5"),
      std::string(tenant), std::string(account),
      after ? after->create_micros : INT64_MAX,
      after ? after->id : std::string(), limit);
  std::vector<SecretRecord> secrets;
  secrets.reserve(rows.size());
  for (const pqxx::row& row : rows) secrets.push_back(SecretFromRow(row));
  return secrets;
}

bool DeleteSecretRow(pqxx::transaction_base& tx, absl::string_view tenant,
                     absl::string_view account, absl::string_view secret) {
  return tx.exec_params(
               "DELETE FROM service_account_secrets"
               " WHERE tenant = $1 AND account = $2 AND id = $3::uuid",
               std::string(tenant), std::string(account), std::string(secret))
             .affected_rows() > 0;
}

std::optional<SecretRecord> FindSecretByHash(pqxx::transaction_base& tx,
                                             absl::string_view secret_hash) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", SecretColumns(),
                   " FROM service_account_secrets s WHERE s.secret_hash = $1"),
      pqxx::binarystring(std::string(secret_hash)));
  if (rows.empty()) return std::nullopt;
  return SecretFromRow(rows[0]);
}

void RecordTokenIssued(pqxx::transaction_base& tx, const SecretRecord& secret,
                       absl::Time now) {
  const int64_t micros = absl::ToUnixMicros(now);
  tx.exec_params(absl::StrCat("UPDATE service_account_secrets"
                              " SET last_used_time =",
                              At("$2"), " WHERE id = $1::uuid"),
                 secret.id, micros);
  tx.exec_params(absl::StrCat("UPDATE service_accounts SET last_token_time =",
                              At("$3"), " WHERE tenant = $1 AND id = $2"),
                 secret.tenant, secret.account, micros);
}

std::string ServiceAccountEtag(const ServiceAccountRecord& account) {
  return absl::StrCat("a", account.version);
}

v1::ServiceAccount ToServiceAccountProto(const ServiceAccountRecord& a) {
  v1::ServiceAccount out;
  out.set_name(ServiceAccountResourceName(a.tenant, a.id));
  out.set_display_name(a.display_name);
  out.set_description(a.description);
  for (const std::string& scope : a.scopes) out.add_scopes(scope);
  out.set_state(a.state);
  SetTimestamp(out.mutable_create_time(), a.create_time);
  SetTimestamp(out.mutable_update_time(), a.update_time);
  if (a.last_token_time) {
    SetTimestamp(out.mutable_last_token_time(), *a.last_token_time);
  }
  out.set_etag(ServiceAccountEtag(a));
  return out;
}

std::string SecretResourceName(const SecretRecord& secret) {
  return absl::StrCat(ServiceAccountResourceName(secret.tenant, secret.account),
                      "/secrets/", secret.id);
}

v1::ServiceAccountSecret ToSecretProto(const SecretRecord& s) {
  v1::ServiceAccountSecret out;
  out.set_name(SecretResourceName(s));
  out.set_secret_hint(s.hint);
  if (s.expire_time) SetTimestamp(out.mutable_expire_time(), *s.expire_time);
  SetTimestamp(out.mutable_create_time(), s.create_time);
  if (s.last_used_time) {
    SetTimestamp(out.mutable_last_used_time(), *s.last_used_time);
  }
  return out;
}

}  // namespace agora::identity
