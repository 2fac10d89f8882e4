// Answers of idempotent writes, keyed by (tenant, method, request_id,
// caller): a client retrying with the same request_id gets the first answer
// and nothing changes twice. Saved in the transaction of the write itself.
#ifndef AGORA_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
#define AGORA_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_

#include <google/protobuf/message.h>

#include <optional>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/status.h"

namespace agora::idempotency {

struct IdempotencyKey {
  std::string tenant;
  std::string method;      // e.g. "Decide"
  std::string request_id;  // empty: the write is not idempotent by key
  std::string caller;      // the principal's resource name
};

// Fills `response` with the saved answer and returns true when this key was
// seen; false when not (or when request_id is empty).
bool FindSavedResponse(pqxx::transaction_base& tx, const IdempotencyKey& key,
                       google::protobuf::Message& response);

// Saves the answer of the write done in `tx` (no-op for an empty request_id).
void SaveResponse(pqxx::transaction_base& tx, const IdempotencyKey& key,
                  const google::protobuf::Message& response);

// INVALID_ARGUMENT unless `request_id` is empty or 1-64 characters of
// [A-Za-z0-9-_] (a UUID fits).
absl::Status ValidateRequestId(const std::string& request_id);

}  // namespace agora::idempotency

#endif  // AGORA_LIBS_IDEMPOTENCY_IDEMPOTENCY_H_
