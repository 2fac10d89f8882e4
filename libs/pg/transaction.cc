#include "libs/pg/transaction.h"

#include <memory>
#include <pqxx/nontransaction>
#include <pqxx/transaction>
#include <random>

#include "absl/time/clock.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"

namespace agora::pg {
namespace {

std::unique_ptr<pqxx::transaction_base> Begin(pqxx::connection& connection,
                                              Isolation isolation) {
  switch (isolation) {
    case Isolation::kRepeatableRead:
      return std::make_unique<pqxx::transaction<pqxx::repeatable_read>>(
          connection);
    case Isolation::kSerializable:
      return std::make_unique<pqxx::transaction<pqxx::serializable>>(
          connection);
    case Isolation::kNone:
      return std::make_unique<pqxx::nontransaction>(connection);
    case Isolation::kReadCommitted:
      break;
  }
  return std::make_unique<pqxx::work>(connection);
}

// Jittered exponential back-off: 5 ms, 10 ms, 20 ms ... capped at 200 ms.
absl::Duration Backoff(int attempt) {
  thread_local std::minstd_rand random{std::random_device{}()};
  const int64_t cap_ms = std::min<int64_t>(200, int64_t{5} << attempt);
  std::uniform_int_distribution<int64_t> jitter(cap_ms / 2, cap_ms);
  return absl::Milliseconds(jitter(random));
}

}  // namespace

absl::Status RunTransaction(
    ConnectionPool& pool,
    const std::function<absl::Status(pqxx::transaction_base&)>& body,
    const TransactionOptions& options) {
  absl::Status last;
  for (int attempt = 0; attempt < options.max_attempts; ++attempt) {
    if (attempt > 0) absl::SleepFor(Backoff(attempt));
    absl::StatusOr<Lease> lease = pool.Acquire();
    if (!lease.ok()) return lease.status();
    try {
      std::unique_ptr<pqxx::transaction_base> tx =
          Begin(**lease, options.isolation);
      absl::Status status = body(*tx);
      if (!status.ok()) {
        tx->abort();
        return status;
      }
      tx->commit();
      return absl::OkStatus();
    } catch (const std::exception& error) {
      last = StatusFromException(error);
      if (last.code() == absl::StatusCode::kUnavailable) lease->MarkBroken();
      if (!IsRetryable(error)) return last;
      logging::Debug("retrying transaction",
                     {{"attempt", attempt + 1}, {"reason", last.ToString()}});
    }
  }
  return last;
}

}  // namespace agora::pg
