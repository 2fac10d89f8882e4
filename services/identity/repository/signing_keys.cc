#include "services/identity/repository/signing_keys.h"

#include <algorithm>
#include <pqxx/pqxx>
#include <utility>

#include "absl/time/clock.h"
#include "libs/auth/ed25519_key.h"
#include "libs/pg/transaction.h"

namespace agora::identity {
namespace {

// Serialises key creation across replicas (pg_advisory_xact_lock key).
constexpr int64_t kKeyCreationLock = 0x6167'6f72'616b'6579;  // "agorakey"

}  // namespace

SigningKeys::SigningKeys(pg::ConnectionPool& pool, KeySealer sealer,
                         SigningKeysOptions options)
    : pool_(pool), sealer_(std::move(sealer)), options_(std::move(options)) {
  published_ = std::make_shared<const auth::KeySet>();
}

absl::Time SigningKeys::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

absl::Status SigningKeys::CreateKey(bool retire_others) {
  absl::StatusOr<auth::Ed25519PrivateKey> key =
      auth::Ed25519PrivateKey::Generate();
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> pem = key->ToPem();
  if (!pem.ok()) return pem.status();
  const std::string kid = key->public_key().Thumbprint();
  absl::StatusOr<std::string> sealed = sealer_.Seal(*pem, kid);
  if (!sealed.ok()) return sealed.status();
  return pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
    tx.exec_params("SELECT pg_advisory_xact_lock($1)", kKeyCreationLock);
    if (!retire_others &&
        !tx.exec("SELECT 1 FROM signing_keys WHERE retire_time IS NULL")
             .empty()) {
      return absl::OkStatus();  // another replica created it meanwhile
    }
    tx.exec(
        "UPDATE signing_keys SET retire_time = now()"
        " WHERE retire_time IS NULL");
    tx.exec_params(
        "INSERT INTO signing_keys (kid, public_key, sealed_private_key)"
        " VALUES ($1, $2, $3)",
        kid, pqxx::binarystring(key->public_key().raw()),
        pqxx::binarystring(*sealed));
    return absl::OkStatus();
  });
}

absl::Status SigningKeys::Load() {
  struct Row {
    std::string kid, public_key, sealed;
    bool current;
  };
  std::vector<Row> rows;
  absl::Status read =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
        rows.clear();
        const pqxx::result result = tx.exec_params(
            "SELECT kid, public_key, sealed_private_key, retire_time IS NULL"
            " FROM signing_keys"
            " WHERE retire_time IS NULL"
            "    OR retire_time > now() - make_interval(secs => $1)"
            " ORDER BY create_time DESC",
            absl::ToDoubleSeconds(options_.publish_after_retire));
        for (const auto& row : result) {
          rows.push_back({row[0].as<std::string>(),
                          pqxx::binarystring(row[1]).str(),
                          pqxx::binarystring(row[2]).str(), row[3].as<bool>()});
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  const bool has_current = std::any_of(rows.begin(), rows.end(),
                                       [](const Row& r) { return r.current; });
  if (!has_current) {
    if (absl::Status created = CreateKey(false); !created.ok()) return created;
    return Load();
  }
  auto published = std::make_shared<auth::KeySet>();
  std::shared_ptr<const auth::JwtSigner> signer;
  for (const Row& row : rows) {
    absl::StatusOr<auth::Ed25519PublicKey> public_key =
        auth::Ed25519PublicKey::FromRaw(row.public_key);
    if (!public_key.ok()) return public_key.status();
    if (absl::Status added = published->Add(row.kid, *public_key); !added.ok())
      return added;
    if (row.current && signer == nullptr) {
      absl::StatusOr<std::string> pem = sealer_.Open(row.sealed, row.kid);
      if (!pem.ok()) return pem.status();
      absl::StatusOr<auth::Ed25519PrivateKey> key =
          auth::Ed25519PrivateKey::FromPem(*pem);
      if (!key.ok()) return key.status();
      signer = std::make_shared<const auth::JwtSigner>(*std::move(key));
    }
  }
  absl::MutexLock lock(&mu_);
  signer_ = std::move(signer);
  published_ = std::move(published);
  loaded_at_ = Now();
  return absl::OkStatus();
}

absl::Status SigningKeys::Rotate() {
  if (absl::Status created = CreateKey(true); !created.ok()) return created;
  return Load();
}

absl::StatusOr<std::string> SigningKeys::Sign(const auth::Claims& claims) {
  bool stale;
  {
    absl::MutexLock lock(&mu_);
    stale = signer_ == nullptr || Now() - loaded_at_ > options_.reload_interval;
  }
  if (stale) {
    // A failed reload keeps the key already in memory: signing goes on
    // while PostgreSQL is briefly away.
    absl::Status loaded = Load();
    absl::MutexLock lock(&mu_);
    if (!loaded.ok() && signer_ == nullptr) return loaded;
  }
  std::shared_ptr<const auth::JwtSigner> signer;
  {
    absl::MutexLock lock(&mu_);
    signer = signer_;
  }
  return signer->Sign(claims);
}

std::string SigningKeys::CurrentKeyId() const {
  absl::MutexLock lock(&mu_);
  return signer_ == nullptr ? "" : signer_->key_id();
}

std::shared_ptr<const auth::KeySet> SigningKeys::Keys() const {
  absl::MutexLock lock(&mu_);
  return published_;
}

}  // namespace agora::identity
