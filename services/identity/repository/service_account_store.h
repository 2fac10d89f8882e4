// Service accounts and their client secrets as rows. Secrets are stored as
// their SHA-256 only (secret_tokens.h) and found by that hash through the
// unique index: a presented secret is never compared in plaintext.
// Platform-wide accounts are stored with tenant "".
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_SERVICE_ACCOUNT_STORE_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_SERVICE_ACCOUNT_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/identity/v1/identity.pb.h"

namespace agora::identity {

struct ServiceAccountRecord {
  std::string tenant;  // "" for platform-wide accounts
  std::string id;
  std::string display_name;
  std::string description;
  std::vector<std::string> scopes;
  v1::ServiceAccount::State state = v1::ServiceAccount::STATE_UNSPECIFIED;
  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> last_token_time;
  int64_t version = 1;
};

struct SecretRecord {
  std::string id;  // a UUID
  std::string tenant;
  std::string account;
  std::string hint;  // last 4 characters
  std::optional<absl::Time> expire_time;
  absl::Time create_time;
  std::optional<absl::Time> last_used_time;
};

// NOT_FOUND when the account does not exist.
absl::StatusOr<ServiceAccountRecord> LoadServiceAccount(
    pqxx::transaction_base& tx, absl::string_view tenant, absl::string_view id,
    bool for_update = false);

// Inserts `account` (version 1, created `now`); nullopt when the id is
// taken.
std::optional<ServiceAccountRecord> InsertServiceAccountRow(
    pqxx::transaction_base& tx, const ServiceAccountRecord& account,
    absl::Time now);

// Writes display name, description, scopes and state, bumps the version.
ServiceAccountRecord UpdateServiceAccountRow(
    pqxx::transaction_base& tx, const ServiceAccountRecord& account,
    absl::Time now);

// Deletes the account and (cascading) its secrets.
void DeleteServiceAccountRow(pqxx::transaction_base& tx,
                             absl::string_view tenant, absl::string_view id);

// Up to `limit` accounts of `tenant` with ids after `after_id`, by id.
std::vector<ServiceAccountRecord> ListServiceAccountRows(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view after_id, int limit);

int CountSecrets(pqxx::transaction_base& tx, absl::string_view tenant,
                 absl::string_view account);

// Stores a secret by its hash and returns its metadata.
SecretRecord InsertSecretRow(pqxx::transaction_base& tx,
                             absl::string_view tenant,
                             absl::string_view account,
                             absl::string_view secret_hash,
                             absl::string_view hint,
                             std::optional<absl::Time> expire_time,
                             absl::Time now);

// Where a page of secrets ends: newest first, by (create_time, id).
struct SecretPosition {
  int64_t create_micros = 0;
  std::string id;
};

std::vector<SecretRecord> ListSecretRows(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view account, const std::optional<SecretPosition>& after,
    int limit);

// False when the account has no such secret.
bool DeleteSecretRow(pqxx::transaction_base& tx, absl::string_view tenant,
                     absl::string_view account, absl::string_view secret);

// The secret whose SHA-256 is `secret_hash`, of whichever account.
std::optional<SecretRecord> FindSecretByHash(pqxx::transaction_base& tx,
                                             absl::string_view secret_hash);

// A token was issued with `secret`: the account's last_token_time and the
// secret's last_used_time become `now`.
void RecordTokenIssued(pqxx::transaction_base& tx, const SecretRecord& secret,
                       absl::Time now);

v1::ServiceAccount ToServiceAccountProto(const ServiceAccountRecord& account);
std::string ServiceAccountEtag(const ServiceAccountRecord& account);
std::string SecretResourceName(const SecretRecord& secret);
// Metadata only: the plaintext is never stored.
v1::ServiceAccountSecret ToSecretProto(const SecretRecord& secret);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_SERVICE_ACCOUNT_STORE_H_
