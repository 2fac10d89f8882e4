#include "services/moderation/repository/audit_log.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/event_record.h"

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

absl::StatusOr<v1::AuditEntry> AppendAuditEntry(pqxx::transaction_base& tx,
                                                const std::string& tenant,
                                                const AuditRecord& record) {
  const nlohmann::json payload = nlohmann::json::parse(
      record.payload_json, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return absl::InvalidArgumentError("audit payload: must be a JSON object");
  }
  // One writer per tenant chain at a time, until this transaction ends.
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                 absl::StrCat("agora.moderation.audit.", tenant));
  const pqxx::result last = tx.exec_params(
      "SELECT sequence, hash FROM audit_log WHERE tenant = $1"
      " ORDER BY sequence DESC LIMIT 1",
      tenant);
  v1::AuditEntry entry;
  entry.set_sequence(last.empty() ? 1 : last[0][0].as<int64_t>() + 1);
  entry.set_previous_hash(last.empty() ? kGenesisHash
                                       : last[0][1].as<std::string>());
  entry.set_name(
      absl::StrCat("tenants/", tenant, "/auditEntries/", entry.sequence()));
  entry.set_type(record.type);
  *entry.mutable_actor() = record.actor;
  entry.set_subject(record.subject);
  entry.set_payload(payload.dump());
  const int64_t micros = absl::ToUnixMicros(absl::Now());
  *entry.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(micros);
  entry.set_hash(AuditEntryHash(tenant, entry));
  tx.exec_params(
      "INSERT INTO audit_log (tenant, sequence, id, entry_type, actor, "
      "actor_type, subject,"
      " payload, previous_hash, hash, create_time)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
      "to_timestamp($11::double precision"
      " / 1000000))",
      tenant, entry.sequence(), events::NewEventId(),
      static_cast<int>(entry.type()), entry.actor().name(),
      static_cast<int>(entry.actor().type()), entry.subject(), entry.payload(),
      entry.previous_hash(), entry.hash(), micros);
  return entry;
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
