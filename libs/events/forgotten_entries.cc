#include "libs/events/forgotten_entries.h"

#include <pqxx/pqxx>
#include <vector>

#include "libs/pg/arrays.h"
#include "libs/pg/transaction.h"
#include "libs/redis/reply.h"

namespace agora::events {
namespace {

// Entries per XDEL and per transaction.
constexpr int kBatch = 500;

}  // namespace

absl::StatusOr<int64_t> DeleteForgottenStreamEntries(
    pg::ConnectionPool& pool, redis::RedisClient& redis,
    const std::string& stream) {
  int64_t handled = 0;
  for (;;) {
    int batch = 0;
    absl::Status status =
        pg::RunTransaction(pool, [&](pqxx::transaction_base& tx) {
          batch = 0;
          // SKIP LOCKED: a concurrent run (the relay beside an erasure)
          // takes other notes instead of waiting for these.
          const pqxx::result rows = tx.exec_params(
              "SELECT stream_id FROM forgotten_stream_entries"
              " ORDER BY stream_id LIMIT $1 FOR UPDATE SKIP LOCKED",
              kBatch);
          if (rows.empty()) return absl::OkStatus();
          redis::Command xdel = {"XDEL", stream};
          std::vector<std::string> ids;
          ids.reserve(rows.size());
          for (const pqxx::row& row : rows) {
            ids.push_back(row[0].as<std::string>());
            xdel.push_back(ids.back());
          }
          // XDEL of an id no longer in the stream (trimmed, or deleted by a
          // run whose commit failed) is a no-op, so a retry is harmless.
          absl::StatusOr<redis::Reply> deleted = redis.Run(xdel);
          if (!deleted.ok()) return deleted.status();  // the notes stay
          tx.exec_params(
              "DELETE FROM forgotten_stream_entries"
              " WHERE stream_id = ANY($1::text[])",
              pg::ToTextArray(ids));
          batch = static_cast<int>(rows.size());
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
    handled += batch;
    if (batch < kBatch) return handled;
  }
}

}  // namespace agora::events
