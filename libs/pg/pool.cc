#include "libs/pg/pool.h"

#include <pqxx/nontransaction>
#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"

namespace agora::pg {

Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection)
    : pool_(pool), connection_(std::move(connection)) {}

Lease::Lease(Lease&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      broken_(other.broken_) {}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::exchange(other.pool_, nullptr);
    connection_ = std::move(other.connection_);
    broken_ = other.broken_;
  }
  return *this;
}

Lease::~Lease() { Release(); }

void Lease::Release() {
  if (pool_ != nullptr && connection_ != nullptr) {
    pool_->Return(std::move(connection_), broken_);
  }
  pool_ = nullptr;
}

ConnectionPool::ConnectionPool(PoolOptions options)
    : options_(std::move(options)) {}

ConnectionPool::~ConnectionPool() {
  // Leases must not outlive the pool; their connections would return to a
  // destroyed object.
  absl::MutexLock lock(&mu_);
  idle_.clear();
}

absl::StatusOr<std::unique_ptr<pqxx::connection>> ConnectionPool::Open() const {
  try {
    auto connection = std::make_unique<pqxx::connection>(options_.conninfo);
    if (options_.statement_timeout > absl::ZeroDuration()) {
      pqxx::nontransaction setup(*connection);
      setup.exec(
          absl::StrCat("SET statement_timeout = ",
                       absl::ToInt64Milliseconds(options_.statement_timeout)));
    }
    return connection;
  } catch (const std::exception& error) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL: ",
                     StatusFromException(error).message()));
  }
}

absl::StatusOr<Lease> ConnectionPool::Acquire() {
  std::unique_ptr<pqxx::connection> reused;
  absl::Time idle_since;
  {
    absl::MutexLock lock(&mu_);
    auto available = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return !idle_.empty() || open_ < options_.max_size;
    };
    if (!mu_.AwaitWithTimeout(absl::Condition(&available),
                              options_.acquire_timeout)) {
      ++timeouts_;
      return absl::UnavailableError(
          absl::StrCat("no PostgreSQL connection free within ",
                       absl::FormatDuration(options_.acquire_timeout),
                       " (pool of ", options_.max_size, ")"));
    }
    if (!idle_.empty()) {
      reused = std::move(idle_.back().connection);
      idle_since = idle_.back().since;
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; the connection opens outside the lock
    }
  }
  if (reused != nullptr) {
    bool healthy = reused->is_open();
    if (healthy && absl::Now() - idle_since > options_.validate_after_idle) {
      try {
        pqxx::nontransaction check(*reused);
        check.exec("SELECT 1");
      } catch (const std::exception&) {
        healthy = false;
      }
    }
    if (healthy) return Lease(this, std::move(reused));
    reused.reset();  // keep its slot for the fresh connection opened below
    absl::MutexLock lock(&mu_);
    ++dropped_;
  }
  absl::StatusOr<std::unique_ptr<pqxx::connection>> opened = Open();
  if (!opened.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    return opened.status();
  }
  return Lease(this, *std::move(opened));
}

void ConnectionPool::Return(std::unique_ptr<pqxx::connection> connection,
                            bool broken) {
  if (!broken && !connection->is_open()) broken = true;
  if (broken) {
    connection.reset();  // closes outside the lock
    absl::MutexLock lock(&mu_);
    --open_;
    ++dropped_;
    return;
  }
  absl::MutexLock lock(&mu_);
  idle_.push_back(Idle{std::move(connection), absl::Now()});
}

absl::Status ConnectionPool::Ping() {
  absl::StatusOr<Lease> lease = Acquire();
  if (!lease.ok()) return lease.status();
  try {
    pqxx::nontransaction check(**lease);
    check.exec("SELECT 1");
    return absl::OkStatus();
  } catch (const std::exception& error) {
    lease->MarkBroken();
    return StatusFromException(error);
  }
}

PoolStats ConnectionPool::Stats() const {
  absl::MutexLock lock(&mu_);
  PoolStats stats;
  stats.open = open_;
  stats.idle = static_cast<int>(idle_.size());
  stats.leased = open_ - stats.idle;
  stats.timeouts = timeouts_;
  stats.dropped = dropped_;
  return stats;
}

}  // namespace agora::pg
