// The tamper-evident audit log (table audit_log): per tenant, entries
// numbered 1, 2, 3 ... each carrying the SHA-256 of the previous entry, so
// that editing, deleting or reordering any record breaks the chain from that
// point on.
//
// Recording and sealing are two steps. An action records its entry inside
// its own transaction (the record exists if and only if the action
// committed) in audit_pending, taking no lock: actions of one tenant run side
// by side. The sealer then numbers, hashes and moves pending records into
// audit_log in batches, oldest first, holding the tenant's chain lock (a
// transaction-scoped advisory lock) only for that short transaction. A
// moderation replica seals every `--audit_seal_interval`, and every read of
// the chain (ListAuditEntries, VerifyAuditLog, the audit command) seals the
// tenant first, so a read sees every action committed before it. A record
// not yet sealed has no sequence and is not yet covered by the chain.
//
// The hash of an entry is the lower-case hex SHA-256 of the canonical JSON
// (keys sorted, no whitespace) of {actor, actor_type, create_time (RFC 3339,
// microseconds, UTC), payload, previous_hash, sequence, subject, tenant,
// type}; previous_hash of entry 1 is 64 zeros.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_AUDIT_LOG_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_AUDIT_LOG_H_

#include <cstdint>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/pg/pool.h"

namespace agora::moderation {

// What to record. `payload` is a JSON object of masked details.
struct AuditRecord {
  agora::moderation::v1::AuditEntryType type =
      agora::moderation::v1::AUDIT_ENTRY_TYPE_UNSPECIFIED;
  agora::common::v1::Actor actor;
  std::string subject;
  std::string payload_json = "{}";
};

inline constexpr char kGenesisHash[] =
    "0000000000000000000000000000000000000000000000000000000000000000";

// The hash of an entry as defined above.
std::string AuditEntryHash(const std::string& tenant,
                           const agora::moderation::v1::AuditEntry& entry);

// Records `record` for the tenant's chain in `tx` (pending until sealed).
// `payload_json` is re-serialised canonically; INVALID_ARGUMENT when it is
// not a JSON object.
absl::Status AppendAuditEntry(pqxx::transaction_base& tx,
                              const std::string& tenant,
                              const AuditRecord& record);

// Seals the tenant's pending records into its chain, oldest first, in
// transactions of at most `batch` records; returns how many were sealed.
absl::StatusOr<int64_t> SealAuditChain(pg::ConnectionPool& pool,
                                       const std::string& tenant,
                                       int batch = 500);

// Seals the pending records of every tenant that has some.
absl::StatusOr<int64_t> SealAllAuditChains(pg::ConnectionPool& pool);

// Reads entries [start, end] (end 0 = the last) in sequence order.
std::vector<agora::moderation::v1::AuditEntry> ReadAuditEntries(
    pqxx::transaction_base& tx, const std::string& tenant,
    int64_t start_sequence, int64_t end_sequence, int limit);

// Recomputes the chain over [start, end] (end 0 = the last): every hash,
// every link to the previous entry, no gaps. Entry start-1 (when start > 1)
// is trusted as the anchor.
absl::StatusOr<agora::moderation::v1::AuditVerification> VerifyAuditChain(
    pqxx::transaction_base& tx, const std::string& tenant,
    int64_t start_sequence, int64_t end_sequence);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_AUDIT_LOG_H_
