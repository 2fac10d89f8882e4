#include "libs/events/relay.h"

#include <limits>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "libs/events/forgotten_entries.h"
#include "libs/logging/log.h"
#include "libs/pg/arrays.h"
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

// The smallest stream entry id greater than `id` ("<ms>-<seq>"), for XTRIM
// MINID, which keeps the entries at or above its threshold.
absl::StatusOr<std::string> StreamIdAfter(absl::string_view id) {
  const std::pair<absl::string_view, absl::string_view> parts =
      absl::StrSplit(id, absl::MaxSplits('-', 1));
  uint64_t ms = 0, seq = 0;
  if (!absl::SimpleAtoi(parts.first, &ms) ||
      !absl::SimpleAtoi(parts.second, &seq)) {
    return absl::InternalError(
        absl::StrCat("outbox: malformed stream_id ", id));
  }
  if (seq == std::numeric_limits<uint64_t>::max()) {
    return absl::StrCat(ms + 1, "-0");
  }
  return absl::StrCat(ms, "-", seq + 1);
}

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
  absl::Status status =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
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
        // The ids published, with the stream entry each became (so that an
        // erasure can delete the entry too). Not "id <= last": a row with a
        // smaller id may commit after this SELECT and must wait for the next
        // batch rather than be marked published unseen.
        std::vector<std::string> ids;
        ids.reserve(rows.size());
        for (const pqxx::row& row : rows) {
          ids.push_back(row[0].as<std::string>());
          commands.push_back(
              {"XADD", options_.stream, "MAXLEN", "~", max_length, "*",
               "event_id", row[1].as<std::string>(), "tenant",
               row[2].as<std::string>(), "type", row[3].as<std::string>(),
               "payload", pqxx::binarystring(row[4]).str()});
        }
        absl::StatusOr<std::vector<redis::Reply>> replies =
            redis_.Pipeline(commands);
        if (!replies.ok())
          return replies.status();  // rolls back: retried later
        std::vector<std::string> stream_ids;
        stream_ids.reserve(replies->size());
        for (const redis::Reply& reply : *replies) {
          if (reply.is_error()) return redis::StatusFromErrorReply(reply.text);
          std::optional<std::string> stream_id = reply.AsString();
          if (!stream_id.has_value()) {
            return absl::InternalError(
                "outbox relay: XADD returned no entry id");
          }
          stream_ids.push_back(*std::move(stream_id));
        }
        tx.exec_params(
            "UPDATE outbox SET published_at = now(), stream_id = p.stream_id"
            " FROM unnest($1::bigint[], $2::text[]) AS p(id, stream_id)"
            " WHERE outbox.id = p.id",
            pg::ToTextArray(ids), pg::ToTextArray(stream_ids));
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
    pruned = 0;
    // The newest stream entry among the pruned rows (the rows of a batch
    // were published in stream order), and for rows published before entry
    // ids were recorded, the newest publication time.
    const pqxx::row last = tx.exec_params1(
        "WITH pruned AS (DELETE FROM outbox WHERE published_at < now() -"
        " make_interval(secs => $1) RETURNING stream_id, published_at)"
        " SELECT count(*),"
        " (SELECT stream_id FROM pruned WHERE stream_id IS NOT NULL ORDER BY"
        "  split_part(stream_id, '-', 1)::numeric DESC,"
        "  split_part(stream_id, '-', 2)::numeric DESC LIMIT 1),"
        " floor(extract(epoch FROM max(published_at)) * 1000)::bigint"
        " FROM pruned",
        absl::ToDoubleSeconds(options_.keep_published));
    pruned = last[0].as<int64_t>();
    if (pruned == 0) return absl::OkStatus();
    // The stream keeps no entry whose row is gone: the row is what an
    // erasure finds an entry by, so an entry outliving it could never be
    // erased. Trimming in the same transaction means a Redis failure keeps
    // the rows too, for the next prune. (Entries of a batch whose commit
    // failed after XADD, never recorded, go with the trim as well.)
    std::string min_id;
    if (!last[1].is_null()) {
      absl::StatusOr<std::string> after = StreamIdAfter(last[1].c_str());
      if (!after.ok()) return after.status();
      min_id = *std::move(after);
    } else {
      min_id = absl::StrCat(last[2].as<int64_t>(), "-0");
    }
    absl::StatusOr<redis::Reply> trimmed =
        redis_.Run({"XTRIM", options_.stream, "MINID", "=", min_id});
    if (!trimmed.ok()) return trimmed.status();  // rolls back: next prune
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return pruned;
}

absl::StatusOr<int64_t> OutboxRelay::DeleteForgottenEntries() {
  return DeleteForgottenStreamEntries(pool_, redis_, options_.stream);
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
  absl::Time next_forget = absl::Now();
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
    // Stream entries of erased events whose deletion could not follow the
    // erasure (Redis was down, or the erasure ran in an operator command).
    if (absl::Now() >= next_forget) {
      absl::StatusOr<int64_t> forgotten = DeleteForgottenEntries();
      if (!forgotten.ok()) {
        logging::Warn(
            "outbox relay: deleting forgotten entries failed",
            {{"channel", channel_}, {"error", forgotten.status().ToString()}});
      }
      next_forget = absl::Now() + options_.poll_interval;
    }
    if (absl::Now() >= next_prune) {
      absl::StatusOr<int64_t> pruned = PrunePublished();
      if (!pruned.ok()) {
        logging::Warn(
            "outbox relay: prune failed",
            {{"channel", channel_}, {"error", pruned.status().ToString()}});
      }
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
