#include "libs/events/outbox.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
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

}  // namespace agora::events
