#include "libs/events/erasure.h"

#include <pqxx/pqxx>
#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/logging/log.h"
#include "libs/pg/arrays.h"

namespace agora::events {
namespace {

// Outbox rows read (and parsed) at a time.
constexpr int kPage = 500;

}  // namespace

absl::StatusOr<ForgottenEvents> ForgetEvents(pqxx::transaction_base& tx,
                                             const Outbox& outbox,
                                             const EventSelector& selector) {
  if (selector.tenant.empty()) {
    return absl::InvalidArgumentError("selector.tenant: required");
  }
  if (!selector.matches) {
    return absl::InvalidArgumentError("selector.matches: required");
  }
  // The relay's lock (relay.cc): a batch it has sent to Redis but not yet
  // marked would otherwise look unpublished here, be deleted without a note,
  // and leave its entries in the stream. Held until the caller commits, so
  // the relay publishes none of the rows about to go either.
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                 outbox.channel());
  ForgottenEvents forgotten;
  std::vector<std::string> ids;
  const pqxx::binarystring contains(selector.payload_contains);
  int64_t after = 0;
  for (;;) {
    // position('' in payload) is 1: an empty filter keeps every row.
    const pqxx::result rows = tx.exec_params(
        "SELECT id, event_id, payload FROM outbox"
        " WHERE tenant = $1 AND id > $2 AND position($3 in payload) > 0"
        " ORDER BY id LIMIT $4",
        selector.tenant, after, contains, kPage);
    for (const pqxx::row& row : rows) {
      after = row[0].as<int64_t>();
      agora::events::v1::Event event;
      if (!event.ParseFromString(pqxx::binarystring(row[2]).str())) {
        // Not deleted blindly: it may be anyone's. Someone must look.
        ++forgotten.unreadable;
        logging::Error("outbox: unreadable event kept by an erasure",
                       {{"channel", outbox.channel()},
                        {"event_id", row[1].as<std::string>()}});
        continue;
      }
      if (event.has_member_erased()) continue;
      if (selector.matches(event)) ids.push_back(row[0].as<std::string>());
    }
    if (rows.size() < static_cast<size_t>(kPage)) break;
  }
  // Events a consumer of this schema failed to apply keep their payload
  // beside the failure (dead letters included): a copy like any other.
  // (Rare rows: no paging. The tenant is inside the payload only.)
  std::vector<std::string> failed_consumers, failed_events;
  for (const pqxx::row& row : tx.exec_params(
           "SELECT consumer, event_id::text, payload FROM event_failures"
           " WHERE position($1 in payload) > 0",
           contains)) {
    agora::events::v1::Event event;
    if (!event.ParseFromString(pqxx::binarystring(row[2]).str())) continue;
    if (event.tenant() != selector.tenant || event.has_member_erased() ||
        !selector.matches(event)) {
      continue;
    }
    failed_consumers.push_back(row[0].as<std::string>());
    failed_events.push_back(row[1].as<std::string>());
  }
  if (!failed_events.empty()) {
    forgotten.failures =
        tx.exec_params(
              "DELETE FROM event_failures f USING unnest($1::text[],"
              " $2::uuid[]) AS x(consumer, event_id)"
              " WHERE f.consumer = x.consumer AND f.event_id = x.event_id",
              pg::ToTextArray(failed_consumers), pg::ToTextArray(failed_events))
            .affected_rows();
  }
  if (ids.empty()) return forgotten;
  const pqxx::row counts = tx.exec_params1(
      "WITH gone AS (DELETE FROM outbox WHERE id = ANY($1::bigint[])"
      "  RETURNING stream_id),"
      " noted AS (INSERT INTO forgotten_stream_entries (stream_id)"
      "  SELECT stream_id FROM gone WHERE stream_id IS NOT NULL"
      "  ON CONFLICT DO NOTHING RETURNING 1)"
      " SELECT (SELECT count(*) FROM gone),"
      " (SELECT count(*) FROM gone WHERE stream_id IS NOT NULL)",
      pg::ToTextArray(ids));
  forgotten.events = counts[0].as<int64_t>();
  forgotten.stream_entries = counts[1].as<int64_t>();
  return forgotten;
}

}  // namespace agora::events
