// A bounded pool of PostgreSQL connections. Connections are opened lazily up
// to `max_size`; a caller waits at most `acquire_timeout` for one, then gets
// UNAVAILABLE (the service is overloaded: shedding beats queueing forever).
// A connection that failed is dropped, not returned, and the next caller opens
// a fresh one, which is how the pool recovers after a PostgreSQL restart.
#ifndef AGORA_LIBS_PG_POOL_H_
#define AGORA_LIBS_PG_POOL_H_

#include <cstdint>
#include <memory>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace agora::pg {

struct PoolOptions {
  // libpq connection string or URI, e.g.
  // "postgresql://agora@127.0.0.1:5432/agora".
  std::string conninfo;
  // Most connections open at once (1-1000).
  int max_size = 8;
  // Longest wait for a free connection.
  absl::Duration acquire_timeout = absl::Seconds(2);
  // Server-side limit on one statement; 0 leaves the server's setting.
  absl::Duration statement_timeout = absl::Seconds(10);
  // Idle connections older than this are checked with a round trip before use.
  absl::Duration validate_after_idle = absl::Seconds(30);
};

struct PoolStats {
  int open = 0;          // connections that exist (idle + leased)
  int idle = 0;          // connections waiting in the pool
  int leased = 0;        // connections handed out
  int64_t timeouts = 0;  // acquisitions that gave up
  int64_t dropped = 0;   // connections discarded after a failure
};

class ConnectionPool;

// A connection on loan; goes back to the pool when destroyed. Call
// MarkBroken() after an error that may have left it unusable.
class Lease {
 public:
  Lease(Lease&& other) noexcept;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  pqxx::connection& operator*() const { return *connection_; }
  pqxx::connection* operator->() const { return connection_.get(); }
  void MarkBroken() { broken_ = true; }

 private:
  friend class ConnectionPool;
  Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection);
  void Release();

  ConnectionPool* pool_ = nullptr;
  std::unique_ptr<pqxx::connection> connection_;
  bool broken_ = false;
};

class ConnectionPool {
 public:
  explicit ConnectionPool(PoolOptions options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  ~ConnectionPool();

  // A connection, or UNAVAILABLE when none frees up within acquire_timeout or
  // the server cannot be reached.
  absl::StatusOr<Lease> Acquire();

  // One round trip ("SELECT 1") on a pooled connection: the readiness check.
  absl::Status Ping();

  PoolStats Stats() const;
  const PoolOptions& options() const { return options_; }

 private:
  friend class Lease;
  struct Idle {
    std::unique_ptr<pqxx::connection> connection;
    absl::Time since;
  };

  absl::StatusOr<std::unique_ptr<pqxx::connection>> Open() const;
  void Return(std::unique_ptr<pqxx::connection> connection, bool broken);

  const PoolOptions options_;
  mutable absl::Mutex mu_;
  std::vector<Idle> idle_ ABSL_GUARDED_BY(mu_);
  int open_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t timeouts_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t dropped_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace agora::pg

#endif  // AGORA_LIBS_PG_POOL_H_
