#include "libs/idempotency/idempotency.h"

#include <algorithm>
#include <pqxx/pqxx>

namespace agora::idempotency {

bool FindSavedResponse(pqxx::transaction_base& tx, const IdempotencyKey& key,
                       google::protobuf::Message& response) {
  if (key.request_id.empty()) return false;
  // Identical requests running at once wait for each other here, so the
  // second one finds the first one's answer instead of writing again.
  tx.exec_params(
      "SELECT pg_advisory_xact_lock(hashtext($1))",
      key.tenant + "/" + key.method + "/" + key.request_id + "/" + key.caller);
  const pqxx::result rows = tx.exec_params(
      "SELECT response FROM idempotent_responses"
      " WHERE tenant = $1 AND method = $2 AND request_id = $3 AND caller = $4",
      key.tenant, key.method, key.request_id, key.caller);
  if (rows.empty()) return false;
  const pqxx::binarystring bytes(rows[0][0]);
  return response.ParseFromString(bytes.str());
}

void SaveResponse(pqxx::transaction_base& tx, const IdempotencyKey& key,
                  const google::protobuf::Message& response) {
  if (key.request_id.empty()) return;
  const pqxx::binarystring bytes(response.SerializeAsString());
  tx.exec_params(
      "INSERT INTO idempotent_responses (tenant, method, request_id, caller, "
      "response)"
      " VALUES ($1, $2, $3, $4, $5)",
      key.tenant, key.method, key.request_id, key.caller, bytes);
}

absl::Status ValidateRequestId(const std::string& request_id) {
  const bool ok = request_id.size() <= 64 &&
                  std::all_of(request_id.begin(), request_id.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                           (c >= '0' && c <= '9') || c == '-' || c == '_';
                  });
  return ok ? absl::OkStatus()
            : absl::InvalidArgumentError(
                  "request_id: at most 64 characters of [A-Za-z0-9-_]");
}

}  // namespace agora::idempotency
