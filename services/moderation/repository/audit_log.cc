#include "services/moderation/repository/audit_log.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/event_record.h"
#include "libs/pg/arrays.h"
#include "libs/pg/transaction.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;

std::string Sha256Hex(const std::string& data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

// Microsecond precision, as PostgreSQL stores it.
std::string Rfc3339Micros(const google::protobuf::Timestamp& time) {
  return absl::FormatTime(
      "%Y-%m-%dT%H:%M:%E6SZ",
      absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(time)),
      absl::UTCTimeZone());
}

v1::AuditEntry EntryFromRow(const std::string& tenant, const pqxx::row& row) {
  v1::AuditEntry entry;
  entry.set_sequence(row["sequence"].as<int64_t>());
  entry.set_name(
      absl::StrCat("tenants/", tenant, "/auditEntries/", entry.sequence()));
  entry.set_type(static_cast<v1::AuditEntryType>(row["entry_type"].as<int>()));
  entry.mutable_actor()->set_name(row["actor"].as<std::string>());
  entry.mutable_actor()->set_type(
      static_cast<agora::common::v1::ActorType>(row["actor_type"].as<int>()));
  entry.set_subject(row["subject"].as<std::string>());
  entry.set_payload(row["payload"].as<std::string>());
  entry.set_previous_hash(row["previous_hash"].as<std::string>());
  entry.set_hash(row["hash"].as<std::string>());
  *entry.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row["create_micros"].as<int64_t>());
  return entry;
}

constexpr char kSelectColumns[] =
    "SELECT sequence, entry_type, actor, actor_type, subject, payload, "
    "previous_hash, hash,"
    " (extract(epoch FROM create_time) * 1000000)::bigint AS create_micros "
    "FROM audit_log";

}  // namespace

std::string AuditEntryHash(const std::string& tenant,
                           const v1::AuditEntry& entry) {
  nlohmann::json canonical = {
      {"actor", entry.actor().name()},
      {"actor_type", static_cast<int>(entry.actor().type())},
      {"create_time", Rfc3339Micros(entry.create_time())},
      {"payload", entry.payload()},
      {"previous_hash", entry.previous_hash()},
      {"sequence", entry.sequence()},
      {"subject", entry.subject()},
      {"tenant", tenant},
      {"type", static_cast<int>(entry.type())},
  };  // nlohmann::json keeps object keys sorted
  return Sha256Hex(
      canonical.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

absl::Status AppendAuditEntry(pqxx::transaction_base& tx,
                              const std::string& tenant,
                              const AuditRecord& record) {
  const nlohmann::json payload = nlohmann::json::parse(
      record.payload_json, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return absl::InvalidArgumentError("audit payload: must be a JSON object");
  }
  // The time the hash will cover, kept to the microsecond PostgreSQL keeps.
  tx.exec_params(
      "INSERT INTO audit_pending (tenant, entry_id, entry_type, actor,"
      " actor_type, subject, payload, create_time)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7,"
      " to_timestamp($8::double precision / 1000000))",
      tenant, events::NewEventId(), static_cast<int>(record.type),
      record.actor.name(), static_cast<int>(record.actor.type()),
      record.subject, payload.dump(), absl::ToUnixMicros(absl::Now()));
  return absl::OkStatus();
}

namespace {

// One sealing transaction: up to `batch` of the tenant's oldest pending
// records numbered, hashed and moved into the chain. Returns how many.
int64_t SealBatch(pqxx::transaction_base& tx, const std::string& tenant,
                  int batch) {
  // One sealer per tenant chain at a time, until this transaction ends.
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                 absl::StrCat("agora.moderation.audit.", tenant));
  const pqxx::result pending = tx.exec_params(
      "SELECT id, entry_id::text, entry_type, actor, actor_type, subject,"
      " payload, (extract(epoch FROM create_time) * 1000000)::bigint"
      " FROM audit_pending WHERE tenant = $1 ORDER BY id LIMIT $2",
      tenant, batch);
  if (pending.empty()) return 0;
  const pqxx::result last = tx.exec_params(
      "SELECT sequence, hash FROM audit_log WHERE tenant = $1"
      " ORDER BY sequence DESC LIMIT 1",
      tenant);
  int64_t sequence = last.empty() ? 0 : last[0][0].as<int64_t>();
  std::string previous_hash =
      last.empty() ? kGenesisHash : last[0][1].as<std::string>();
  // Column by column, for one INSERT ... unnest of the whole batch.
  std::vector<std::string> pending_ids, sequences, entry_ids, types, actors,
      actor_types, subjects, payloads, previous_hashes, hashes, micros;
  for (const pqxx::row& row : pending) {
    v1::AuditEntry entry;
    entry.set_sequence(++sequence);
    entry.set_previous_hash(previous_hash);
    entry.set_type(static_cast<v1::AuditEntryType>(row[2].as<int>()));
    entry.mutable_actor()->set_name(row[3].as<std::string>());
    entry.mutable_actor()->set_type(
        static_cast<agora::common::v1::ActorType>(row[4].as<int>()));
    entry.set_subject(row[5].as<std::string>());
    entry.set_payload(row[6].as<std::string>());
    *entry.mutable_create_time() =
        TimeUtil::MicrosecondsToTimestamp(row[7].as<int64_t>());
    entry.set_hash(AuditEntryHash(tenant, entry));
    previous_hash = entry.hash();

    pending_ids.push_back(row[0].as<std::string>());
    sequences.push_back(absl::StrCat(entry.sequence()));
    entry_ids.push_back(row[1].as<std::string>());
    types.push_back(row[2].as<std::string>());
    actors.push_back(entry.actor().name());
    actor_types.push_back(row[4].as<std::string>());
    subjects.push_back(entry.subject());
    payloads.push_back(entry.payload());
    previous_hashes.push_back(entry.previous_hash());
    hashes.push_back(entry.hash());
    micros.push_back(row[7].as<std::string>());
  }
  tx.exec_params(
      "INSERT INTO audit_log (tenant, sequence, id, entry_type, actor,"
      " actor_type, subject, payload, previous_hash, hash, create_time)"
      " SELECT $1, s, i, t, a, at, su, p, ph, h,"
      " to_timestamp(m::double precision / 1000000)"
      " FROM unnest($2::bigint[], $3::uuid[], $4::smallint[], $5::text[],"
      " $6::smallint[], $7::text[], $8::text[], $9::text[], $10::text[],"
      " $11::bigint[]) AS e(s, i, t, a, at, su, p, ph, h, m)",
      tenant, pg::ToTextArray(sequences), pg::ToTextArray(entry_ids),
      pg::ToTextArray(types), pg::ToTextArray(actors),
      pg::ToTextArray(actor_types), pg::ToTextArray(subjects),
      pg::ToTextArray(payloads), pg::ToTextArray(previous_hashes),
      pg::ToTextArray(hashes), pg::ToTextArray(micros));
  tx.exec_params("DELETE FROM audit_pending WHERE id = ANY($1::bigint[])",
                 pg::ToTextArray(pending_ids));
  return static_cast<int64_t>(pending.size());
}

}  // namespace

absl::StatusOr<int64_t> SealAuditChain(pg::ConnectionPool& pool,
                                       const std::string& tenant, int batch) {
  int64_t sealed = 0;
  while (true) {
    int64_t sealed_now = 0;
    absl::Status status =
        pg::RunTransaction(pool, [&](pqxx::transaction_base& tx) {
          sealed_now = SealBatch(tx, tenant, batch);
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    sealed += sealed_now;
    if (sealed_now < batch) return sealed;
  }
}

absl::StatusOr<int64_t> SealAllAuditChains(pg::ConnectionPool& pool) {
  std::vector<std::string> tenants;
  absl::Status listed = pg::RunTransaction(
      pool,
      [&](pqxx::transaction_base& tx) {
        tenants.clear();
        for (const pqxx::row& row :
             tx.exec("SELECT DISTINCT tenant FROM audit_pending")) {
          tenants.push_back(row[0].as<std::string>());
        }
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kNone});
  if (!listed.ok()) return listed;
  int64_t sealed = 0;
  for (const std::string& tenant : tenants) {
    absl::StatusOr<int64_t> sealed_here = SealAuditChain(pool, tenant);
    if (!sealed_here.ok()) return sealed_here.status();
    sealed += *sealed_here;
  }
  return sealed;
}

std::vector<v1::AuditEntry> ReadAuditEntries(pqxx::transaction_base& tx,
                                             const std::string& tenant,
                                             int64_t start_sequence,
                                             int64_t end_sequence, int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          kSelectColumns,
          " WHERE tenant = $1 AND sequence >= $2 AND ($3 = 0 OR sequence <= $3)"
          " ORDER BY sequence LIMIT $4"),
      tenant, start_sequence, end_sequence, limit);
  std::vector<v1::AuditEntry> entries;
  entries.reserve(rows.size());
  for (const pqxx::row& row : rows)
    entries.push_back(EntryFromRow(tenant, row));
  return entries;
}

absl::StatusOr<v1::AuditVerification> VerifyAuditChain(
    pqxx::transaction_base& tx, const std::string& tenant,
    int64_t start_sequence, int64_t end_sequence) {
  v1::AuditVerification verification;
  verification.set_valid(true);
  start_sequence = std::max<int64_t>(start_sequence, 1);
  std::string previous_hash = kGenesisHash;
  if (start_sequence > 1) {
    const pqxx::result anchor = tx.exec_params(
        "SELECT hash FROM audit_log WHERE tenant = $1 AND sequence = $2",
        tenant, start_sequence - 1);
    if (anchor.empty()) {
      return absl::NotFoundError(
          absl::StrCat("audit entry ", start_sequence - 1));
    }
    previous_hash = anchor[0][0].as<std::string>();
  }
  int64_t expected = start_sequence;
  constexpr int kPage = 1000;
  while (true) {
    const std::vector<v1::AuditEntry> page =
        ReadAuditEntries(tx, tenant, expected, end_sequence, kPage);
    for (const v1::AuditEntry& entry : page) {
      auto fail = [&](v1::AuditVerification::Failure failure) {
        verification.set_valid(false);
        verification.set_failure(failure);
        verification.set_first_invalid_sequence(entry.sequence());
      };
      if (entry.sequence() != expected) {
        fail(v1::AuditVerification::FAILURE_SEQUENCE_GAP);
        // The missing record is the broken place, not the one after it.
        verification.set_first_invalid_sequence(expected);
      } else if (entry.previous_hash() != previous_hash) {
        fail(v1::AuditVerification::FAILURE_CHAIN_BROKEN);
      } else if (AuditEntryHash(tenant, entry) != entry.hash()) {
        fail(v1::AuditVerification::FAILURE_HASH_MISMATCH);
      }
      if (!verification.valid()) break;
      if (verification.entries_checked() == 0) {
        verification.set_first_sequence(entry.sequence());
      }
      verification.set_entries_checked(verification.entries_checked() + 1);
      verification.set_last_sequence(entry.sequence());
      verification.set_head_hash(entry.hash());
      previous_hash = entry.hash();
      ++expected;
    }
    if (!verification.valid() || static_cast<int>(page.size()) < kPage) break;
  }
  *verification.mutable_verify_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(absl::Now()));
  return verification;
}

}  // namespace agora::moderation
