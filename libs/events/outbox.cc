#include "libs/events/outbox.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/arrays.h"
#include "libs/pg/errors.h"

namespace agora::events {

Outbox::Outbox(std::string producer)
    : producer_(std::move(producer)),
      channel_(absl::StrCat("agora_outbox_", producer_)) {}

absl::Status Outbox::Append(pqxx::transaction_base& tx,
                            const EventRecord& event) const {
  if (event.event_id.empty() || event.tenant.empty() || event.type.empty()) {
    return absl::InvalidArgumentError(
        "event: event_id, tenant and type are required");
  }
  // A failed statement aborts the caller's transaction, so errors surface as
  // exceptions to the caller's RunTransaction, which converts them.
  const pqxx::binarystring payload(event.payload);
  tx.exec_params(
      "INSERT INTO outbox (event_id, tenant, event_type, payload)"
      " VALUES ($1, $2, $3, $4)",
      event.event_id, event.tenant, event.type, payload);
  tx.exec_params("SELECT pg_notify($1, '')", channel_);
  return absl::OkStatus();
}

absl::Status Outbox::AppendAll(pqxx::transaction_base& tx,
                               absl::Span<const EventRecord> events) const {
  if (events.empty()) return absl::OkStatus();
  std::vector<std::string> ids, tenants, types, payloads;
  for (const EventRecord& event : events) {
    if (event.event_id.empty() || event.tenant.empty() || event.type.empty()) {
      return absl::InvalidArgumentError(
          "event: event_id, tenant and type are required");
    }
    ids.push_back(event.event_id);
    tenants.push_back(event.tenant);
    types.push_back(event.type);
    // bytea has no array literal libpqxx 6.4 can bind: hex text, decoded
    // by PostgreSQL.
    std::string hex;
    hex.reserve(event.payload.size() * 2);
    static constexpr char kDigits[] = "0123456789abcdef";
    for (unsigned char c : event.payload) {
      hex += kDigits[c >> 4];
      hex += kDigits[c & 15];
    }
    payloads.push_back(std::move(hex));
  }
  tx.exec_params(
      "INSERT INTO outbox (event_id, tenant, event_type, payload)"
      " SELECT i::uuid, t, e, decode(p, 'hex')"
      " FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])"
      " AS x(i, t, e, p)",
      pg::ToTextArray(ids), pg::ToTextArray(tenants), pg::ToTextArray(types),
      pg::ToTextArray(payloads));
  tx.exec_params("SELECT pg_notify($1, '')", channel_);
  return absl::OkStatus();
}

}  // namespace agora::events
