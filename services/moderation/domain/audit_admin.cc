#include "services/moderation/domain/audit_admin.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/paging.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/audit_log.h"

namespace agora::moderation {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr int kDefaultPageSize = 100;
constexpr int kMaxPageSize = 1000;
constexpr size_t kMaxNameLength = 300;

// The filters of ListAuditEntries, checked, in the form the query takes.
struct AuditFilter {
  int64_t from_sequence = 1;
  std::string types;  // a PostgreSQL array literal, "{}" for every type
  std::string actor, subject;
  bool has_start = false, has_end = false;
  int64_t start_micros = 0, end_micros = 0;
};

// The contract's own sizes for this list: default 100, at most 1,000.
absl::StatusOr<int> AuditPageSize(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

// The last sequence of the previous page; 0 for the first page.
absl::StatusOr<int64_t> AfterSequence(const std::string& token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (position->empty()) return 0;
  int64_t sequence = 0;
  if (!absl::SimpleAtoi(*position, &sequence) || sequence < 1 ||
      sequence == std::numeric_limits<int64_t>::max()) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  return sequence;
}

absl::StatusOr<int64_t> TimestampMicros(absl::string_view field,
                                        const google::protobuf::Timestamp& t) {
  if (t.seconds() < TimeUtil::kTimestampMinSeconds ||
      t.seconds() > TimeUtil::kTimestampMaxSeconds || t.nanos() < 0 ||
      t.nanos() > 999999999) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": not a valid timestamp"));
  }
  return TimeUtil::TimestampToMicroseconds(t);
}

absl::StatusOr<AuditFilter> FilterOf(const v1::ListAuditEntriesRequest& request,
                                     int64_t after_sequence) {
  AuditFilter filter;
  if (request.start_sequence() < 0) {
    return absl::InvalidArgumentError("start_sequence: 1 or more");
  }
  filter.from_sequence =
      std::max<int64_t>({1, request.start_sequence(), after_sequence + 1});
  std::vector<int> types;
  for (int i = 0; i < request.types_size(); ++i) {
    if (request.types(i) == v1::AUDIT_ENTRY_TYPE_UNSPECIFIED ||
        !v1::AuditEntryType_IsValid(request.types(i))) {
      return absl::InvalidArgumentError(
          absl::StrCat("types[", i, "]: not an audit entry type"));
    }
    types.push_back(request.types(i));
  }
  filter.types = absl::StrCat("{", absl::StrJoin(types, ","), "}");
  if (request.actor().size() > kMaxNameLength) {
    return absl::InvalidArgumentError("actor: at most 300 characters");
  }
  if (request.subject().size() > kMaxNameLength) {
    return absl::InvalidArgumentError("subject: at most 300 characters");
  }
  filter.actor = request.actor();
  filter.subject = request.subject();
  if (request.time_range().has_start_time()) {
    absl::StatusOr<int64_t> micros = TimestampMicros(
        "time_range.start_time", request.time_range().start_time());
    if (!micros.ok()) return micros.status();
    filter.has_start = true;
    filter.start_micros = *micros;
  }
  if (request.time_range().has_end_time()) {
    absl::StatusOr<int64_t> micros =
        TimestampMicros("time_range.end_time", request.time_range().end_time());
    if (!micros.ok()) return micros.status();
    filter.has_end = true;
    filter.end_micros = *micros;
  }
  if (filter.has_start && filter.has_end &&
      filter.start_micros >= filter.end_micros) {
    return absl::InvalidArgumentError(
        "time_range: start_time must be before end_time");
  }
  return filter;
}

v1::AuditEntry EntryFromRow(const std::string& tenant, const pqxx::row& row) {
  v1::AuditEntry entry;
  entry.set_sequence(row[0].as<int64_t>());
  entry.set_name(
      absl::StrCat("tenants/", tenant, "/auditEntries/", entry.sequence()));
  entry.set_type(static_cast<v1::AuditEntryType>(row[1].as<int>()));
  entry.mutable_actor()->set_name(row[2].as<std::string>());
  entry.mutable_actor()->set_type(
      static_cast<common::ActorType>(row[3].as<int>()));
  entry.set_subject(row[4].as<std::string>());
  entry.set_payload(row[5].as<std::string>());
  entry.set_previous_hash(row[6].as<std::string>());
  entry.set_hash(row[7].as<std::string>());
  *entry.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[8].as<int64_t>());
  return entry;
}

// Up to `limit` entries matching `filter`, by ascending sequence. The time
// bounds compare the same microsecond value the entries report.
std::vector<v1::AuditEntry> ReadFilteredEntries(pqxx::transaction_base& tx,
                                                const std::string& tenant,
                                                const AuditFilter& filter,
                                                int limit) {
  const pqxx::result rows = tx.exec_params(
      "SELECT sequence, entry_type, actor, actor_type, subject, payload,"
      " previous_hash, hash, (extract(epoch FROM create_time) * "
      "1000000)::bigint"
      " FROM audit_log WHERE tenant = $1 AND sequence >= $2"
      " AND (cardinality($3::smallint[]) = 0 OR entry_type = "
      "ANY($3::smallint[]))"
      " AND ($4 = '' OR actor = $4) AND ($5 = '' OR subject = $5)"
      " AND (NOT $6 OR (extract(epoch FROM create_time) * 1000000)::bigint >= "
      "$7)"
      " AND (NOT $8 OR (extract(epoch FROM create_time) * 1000000)::bigint < "
      "$9)"
      " ORDER BY sequence LIMIT $10",
      tenant, filter.from_sequence, filter.types, filter.actor, filter.subject,
      filter.has_start, filter.start_micros, filter.has_end, filter.end_micros,
      limit);
  std::vector<v1::AuditEntry> entries;
  entries.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    entries.push_back(EntryFromRow(tenant, row));
  }
  return entries;
}

}  // namespace

absl::StatusOr<v1::ListAuditEntriesResponse> ListAuditEntries(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ListAuditEntriesRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModerator(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<int> page_size = AuditPageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> after = AfterSequence(request.page_token());
  if (!after.ok()) return after.status();
  absl::StatusOr<AuditFilter> filter = FilterOf(request, *after);
  if (!filter.ok()) return filter.status();

  // Every action committed before this read is in the chain it reads.
  if (absl::StatusOr<int64_t> sealed = SealAuditChain(context.pool, *tenant);
      !sealed.ok()) {
    return sealed.status();
  }
  std::vector<v1::AuditEntry> entries;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        entries = ReadFilteredEntries(tx, *tenant, *filter, *page_size + 1);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;

  v1::ListAuditEntriesResponse response;
  const bool more = static_cast<int>(entries.size()) > *page_size;
  if (more) entries.resize(*page_size);
  for (v1::AuditEntry& entry : entries) {
    *response.add_audit_entries() = std::move(entry);
  }
  if (more) {
    response.set_next_page_token(EncodePageToken(
        absl::StrCat(response.audit_entries().rbegin()->sequence())));
  }
  return response;
}

absl::StatusOr<v1::AuditVerification> VerifyAuditLog(
    ModerationContext& context, const auth::Principal& caller,
    const v1::VerifyAuditLogRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireTenantAdmin(caller, *tenant); !s.ok()) return s;
  if (request.start_sequence() < 0) {
    return absl::InvalidArgumentError("start_sequence: 1 or more");
  }
  const int64_t start = std::max<int64_t>(request.start_sequence(), 1);
  if (request.end_sequence() < 0) {
    return absl::InvalidArgumentError("end_sequence: 0 (the latest) or more");
  }
  if (request.end_sequence() != 0 && request.end_sequence() < start) {
    return absl::InvalidArgumentError(
        "end_sequence: must not be before start_sequence");
  }
  if (absl::StatusOr<int64_t> sealed = SealAuditChain(context.pool, *tenant);
      !sealed.ok()) {
    return sealed.status();
  }
  v1::AuditVerification verification;
  absl::Status read = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        absl::StatusOr<v1::AuditVerification> verified =
            VerifyAuditChain(tx, *tenant, start, request.end_sequence());
        if (!verified.ok()) return verified.status();
        verification = *std::move(verified);
        return absl::OkStatus();
      },
      // One snapshot for the whole chain, however many pages it reads.
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!read.ok()) return read;
  return verification;
}

}  // namespace agora::moderation
