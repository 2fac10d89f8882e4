// Runs a unit of work in one PostgreSQL transaction, retrying the whole unit
// when PostgreSQL asks for it (serialization failure, deadlock) or when the
// connection broke before anything was committed.
#ifndef AGORA_LIBS_PG_TRANSACTION_H_
#define AGORA_LIBS_PG_TRANSACTION_H_

#include <functional>
#include <pqxx/transaction_base>

#include "absl/status/status.h"
#include "libs/pg/pool.h"

namespace agora::pg {

// kNone runs the body outside a transaction block (no BEGIN/COMMIT: each
// statement commits on its own) — for reads of a single statement, which
// it saves two round trips.
enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable, kNone };

struct TransactionOptions {
  Isolation isolation = Isolation::kReadCommitted;
  // Attempts in all, the first included (1-20).
  int max_attempts = 5;
};

// The body runs inside the transaction and must not commit it. It returns OK
// to commit, any other status to roll back (that status is returned as is, no
// retry). libpqxx exceptions thrown by the body or the commit are converted by
// StatusFromException; retryable ones run the body again on a new transaction,
// so the body must not keep effects outside the database between attempts.
absl::Status RunTransaction(
    ConnectionPool& pool,
    const std::function<absl::Status(pqxx::transaction_base&)>& body,
    const TransactionOptions& options = {});

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_TRANSACTION_H_
