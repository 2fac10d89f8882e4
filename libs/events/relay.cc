#include "libs/events/relay.h"

#include <memory>
#include <pqxx/pqxx>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"
#include "libs/pg/transaction.h"

namespace agora::events {
namespace {

// Records that a notification arrived; the relay only needs to wake up.
class Wakeup final : public pqxx::notification_receiver {
 public:
  Wakeup(pqxx::connection_base& connection, const std::string& channel)
      : pqxx::notification_receiver(connection, channel) {}
  void operator()(const std::string&, int) override {}
};

}  // namespace

OutboxRelay::OutboxRelay(const Outbox& outbox, std::string listen_conninfo,
                         pg::ConnectionPool& pool, redis::RedisClient& redis,
                         RelayOptions options)
    : channel_(outbox.channel()),
      listen_conninfo_(std::move(listen_conninfo)),
      pool_(pool),
      redis_(redis),
      options_(std::move(options)) {}

OutboxRelay::~OutboxRelay() { Stop(); }

absl::StatusOr<int> OutboxRelay::PublishBatch() {
  int published = 0;
  absl::Status status = pg::RunTransaction(pool_, [&](pqxx::transaction_base&
                                                          tx) {
    published = 0;
    const bool locked =
        tx.exec_params1("SELECT pg_try_advisory_xact_lock(hashtext($1))",
                        channel_)[0]
            .as<bool>();
    if (!locked) return absl::OkStatus();  // another replica is publishing
    const pqxx::result rows = tx.exec_params(
        "SELECT id, event_id, tenant, event_type, payload FROM outbox"
        " WHERE published_at IS NULL ORDER BY id LIMIT $1",
        options_.batch_size);
    if (rows.empty()) return absl::OkStatus();
    std::vector<redis::Command> commands;
    commands.reserve(rows.size());
    const std::string max_length = absl::StrCat(options_.max_stream_length);
    // The ids published, as a PostgreSQL array literal. Not "id <= last": a
    // row with a smaller id may commit after this SELECT and must wait for
    // the next batch rather than be marked published unseen.
    std::string ids = "{";
    for (const pqxx::row& row : rows) {
      absl::StrAppend(&ids, ids.size() > 1 ? "," : "", row[0].as<int64_t>());
      commands.push_back({"XADD", options_.stream, "MAXLEN", "~", max_length,
                          "*", "event_id", row[1].as<std::string>(), "tenant",
                          row[2].as<std::string>(), "type",
                          row[3].as<std::string>(), "payload",
                          pqxx::binarystring(row[4]).str()});
    }
    absl::StatusOr<std::vector<redis::Reply>> replies =
        redis_.Pipeline(commands);
    if (!replies.ok()) return replies.status();  // rolls back: retried later
    for (const redis::Reply& reply : *replies) {
      if (reply.is_error()) return redis::StatusFromErrorReply(reply.text);
    }
    ids.push_back('}');
    tx.exec_params(
        "UPDATE outbox SET published_at = now() WHERE id = ANY($1::bigint[])",
        ids);
    published = static_cast<int>(rows.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  published_ += published;
  return published;
}

absl::StatusOr<int64_t> OutboxRelay::PrunePublished() {
  int64_t pruned = 0;
  absl::Status status = pg::RunTransaction(pool_, [&](pqxx::transaction_base&
                                                          tx) {
    pruned =
        tx.exec_params(
              "DELETE FROM outbox WHERE published_at < now() - make_interval("
              "secs => $1)",
              absl::ToDoubleSeconds(options_.keep_published))
            .affected_rows();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

void OutboxRelay::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxRelay::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void OutboxRelay::Loop() {
  std::unique_ptr<pqxx::connection> listener;
  std::unique_ptr<Wakeup> wakeup;
  absl::Time next_prune = absl::Now();
  // Waits are sliced so that Stop() is honoured within a quarter second.
  const absl::Duration slice =
      std::min(options_.poll_interval, absl::Milliseconds(250));
  while (!stopping_) {
    absl::StatusOr<int> published = PublishBatch();
    if (!published.ok()) {
      logging::Warn(
          "outbox relay: publish failed",
          {{"channel", channel_}, {"error", published.status().ToString()}});
    }
    if (published.ok() && *published == options_.batch_size) continue;  // more
    if (absl::Now() >= next_prune) {
      (void)PrunePublished();
      next_prune = absl::Now() + absl::Hours(1);
    }
    // Wait for a NOTIFY or the poll interval, whichever comes first.
    const absl::Time deadline = absl::Now() + options_.poll_interval;
    while (!stopping_ && absl::Now() < deadline) {
      try {
        if (listener == nullptr) {
          listener = std::make_unique<pqxx::connection>(listen_conninfo_);
          wakeup = std::make_unique<Wakeup>(*listener, channel_);
        }
        const absl::Duration wait = std::min(slice, deadline - absl::Now());
        const int64_t micros =
            std::max<int64_t>(0, absl::ToInt64Microseconds(wait));
        if (listener->await_notification(micros / 1'000'000,
                                         micros % 1'000'000) > 0) {
          break;
        }
      } catch (const std::exception& error) {
        // Polling carries on; the LISTEN connection is reopened next time.
        wakeup.reset();
        listener.reset();
        absl::SleepFor(slice);
      }
    }
  }
  wakeup.reset();
}

}  // namespace agora::events
