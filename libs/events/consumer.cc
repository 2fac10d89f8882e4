#include "libs/events/consumer.h"

#include <unistd.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/logging/log.h"
#include "libs/pg/arrays.h"
#include "libs/pg/errors.h"
#include "libs/pg/transaction.h"

namespace agora::events {
namespace {

std::string DefaultConsumerName() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return absl::StrCat(host, "-", getpid());
}

}  // namespace

EventConsumer::EventConsumer(pg::ConnectionPool& pool,
                             redis::RedisClient& redis, ConsumerOptions options,
                             EventHandler handler)
    : pool_(pool),
      redis_(redis),
      options_(std::move(options)),
      handler_(std::move(handler)) {
  if (options_.consumer.empty()) options_.consumer = DefaultConsumerName();
}

EventConsumer::~EventConsumer() { Stop(); }

absl::Status EventConsumer::EnsureGroup() {
  absl::StatusOr<redis::Reply> reply = redis_.Run(
      {"XGROUP", "CREATE", options_.stream, options_.group, "0", "MKSTREAM"});
  if (!reply.ok() && absl::StrContains(reply.status().message(), "BUSYGROUP")) {
    return absl::OkStatus();  // created earlier, by us or another replica
  }
  return reply.status();
}

absl::StatusOr<int> EventConsumer::PollOnce() {
  const std::string count = absl::StrCat(options_.batch_size);
  int handled = 0;
  // 1. After a restart: entries delivered to this consumer name, unacked.
  if (!own_pending_done_) {
    absl::StatusOr<redis::Reply> reply =
        redis_.Run({"XREADGROUP", "GROUP", options_.group, options_.consumer,
                    "COUNT", count, "STREAMS", options_.stream, "0"});
    if (!reply.ok()) return reply.status();
    absl::StatusOr<int> n = reply->elements.empty()
                                ? absl::StatusOr<int>(0)
                                : Handle(reply->elements[0].elements.at(1));
    if (!n.ok()) return n.status();
    if (*n == 0) own_pending_done_ = true;
    handled += *n;
  }
  // 2. Entries idle too long in a consumer that died.
  if (absl::Now() >= next_claim_) {
    absl::StatusOr<redis::Reply> reply = redis_.Run(
        {"XAUTOCLAIM", options_.stream, options_.group, options_.consumer,
         absl::StrCat(absl::ToInt64Milliseconds(options_.claim_idle)),
         claim_cursor_, "COUNT", count});
    if (!reply.ok()) return reply.status();
    if (reply->elements.size() >= 2) {
      claim_cursor_ = reply->elements[0].AsString().value_or("0-0");
      absl::StatusOr<int> n = Handle(reply->elements[1]);
      if (!n.ok()) return n.status();
      claimed_ += *n;
      handled += *n;
      // Scan on while the cursor moves; otherwise look again in a while.
      if (claim_cursor_ == "0-0") {
        next_claim_ = absl::Now() + std::max(options_.claim_idle / 4,
                                             absl::Milliseconds(100));
      }
    }
  }
  // 3. New entries.
  absl::StatusOr<redis::Reply> reply = redis_.Run(
      {"XREADGROUP", "GROUP", options_.group, options_.consumer, "COUNT", count,
       "BLOCK", absl::StrCat(absl::ToInt64Milliseconds(options_.block)),
       "STREAMS", options_.stream, ">"});
  if (!reply.ok()) {
    if (absl::StrContains(reply.status().message(), "NOGROUP")) {
      // The stream or group vanished (Redis flushed): recreate and go on.
      absl::Status created = EnsureGroup();
      if (!created.ok()) return created;
      return handled;
    }
    return reply.status();
  }
  if (!reply->is_nil() && !reply->elements.empty()) {
    absl::StatusOr<int> n = Handle(reply->elements[0].elements.at(1));
    if (!n.ok()) return n.status();
    handled += *n;
  }
  return handled;
}

absl::StatusOr<int> EventConsumer::Handle(const redis::Reply& entries) {
  std::vector<Entry> batch;
  for (const redis::Reply& raw : entries.elements) {
    if (raw.elements.size() != 2) continue;
    Entry entry;
    entry.id = raw.elements[0].AsString().value_or("");
    if (raw.elements[1].is_nil()) {
      // A pending entry deleted from the stream since it was delivered
      // (trimmed, or forgotten by an erasure): nothing left to apply.
      Ack({entry.id});
      continue;
    }
    const std::vector<redis::Reply>& fields = raw.elements[1].elements;
    for (size_t i = 0; i + 1 < fields.size(); i += 2) {
      const std::string& field = fields[i].text;
      const std::string& value = fields[i + 1].text;
      if (field == "event_id")
        entry.record.event_id = value;
      else if (field == "tenant")
        entry.record.tenant = value;
      else if (field == "type")
        entry.record.type = value;
      else if (field == "payload")
        entry.record.payload = value;
    }
    if (entry.record.event_id.empty() || entry.record.type.empty()) {
      logging::Error("event consumer: malformed stream entry dropped",
                     {{"stream", options_.stream}, {"entry", entry.id}});
      Ack({entry.id});
      continue;
    }
    batch.push_back(std::move(entry));
  }
  if (!ApplyTogether(batch)) {
    // One at a time, so that only the failing event is retried.
    for (const Entry& entry : batch) HandleEntry(entry);
  }
  return static_cast<int>(batch.size());
}

bool EventConsumer::ApplyTogether(const std::vector<Entry>& batch) {
  if (batch.size() < 2) return false;
  std::vector<std::string> ids;
  for (const Entry& entry : batch) ids.push_back(entry.record.event_id);
  int64_t applied = 0;
  absl::Status status =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
        applied = 0;
        // The ids not applied before; an id twice in the batch (the relay
        // publishes at least once) is applied once.
        std::set<std::string> fresh;
        for (const pqxx::row& row : tx.exec_params(
                 "INSERT INTO processed_events (consumer, event_id)"
                 " SELECT $1, id::uuid FROM unnest($2::text[]) AS i(id)"
                 " ON CONFLICT DO NOTHING RETURNING event_id::text",
                 options_.group, pg::ToTextArray(ids))) {
          fresh.insert(row[0].as<std::string>());
        }
        for (const Entry& entry : batch) {
          if (fresh.erase(absl::AsciiStrToLower(entry.record.event_id)) == 0) {
            continue;
          }
          absl::Status handled = handler_(tx, entry.record);
          if (!handled.ok()) return handled;
          ++applied;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return false;
  applied_ += applied;
  duplicates_ += static_cast<int64_t>(batch.size()) - applied;
  std::vector<std::string> entry_ids;
  for (const Entry& entry : batch) entry_ids.push_back(entry.id);
  Ack(entry_ids);
  return true;
}

void EventConsumer::HandleEntry(const Entry& entry) {
  bool duplicate = false;
  absl::Status status =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
        duplicate = tx.exec_params(
                          "INSERT INTO processed_events (consumer, event_id)"
                          " VALUES ($1, $2) ON CONFLICT DO NOTHING",
                          options_.group, entry.record.event_id)
                        .affected_rows() == 0;
        if (duplicate) return absl::OkStatus();
        return handler_(tx, entry.record);
      });
  if (status.ok()) {
    ++(duplicate ? duplicates_ : applied_);
    Ack({entry.id});
    return;
  }
  ++failures_;
  RecordFailure(entry, status);
}

void EventConsumer::RecordFailure(const Entry& entry,
                                  const absl::Status& error) {
  logging::Warn("event consumer: applying an event failed",
                {{"group", options_.group},
                 {"event_id", entry.record.event_id},
                 {"type", entry.record.type},
                 {"error", error.ToString()}});
  bool dead = false;
  absl::Status recorded = pg::RunTransaction(pool_, [&](pqxx::transaction_base&
                                                            tx) {
    const int attempts =
        tx.exec_params1(
              "INSERT INTO event_failures"
              " (consumer, event_id, attempts, last_error, event_type, payload)"
              " VALUES ($1, $2, 1, $3, $4, $5)"
              " ON CONFLICT (consumer, event_id) DO UPDATE SET"
              " attempts = event_failures.attempts + 1, last_error = $3,"
              " updated_at = now() RETURNING attempts",
              options_.group, entry.record.event_id, error.ToString(),
              entry.record.type, pqxx::binarystring(entry.record.payload))[0]
            .as<int>();
    dead = attempts >= options_.max_attempts;
    if (dead) {
      tx.exec_params(
          "INSERT INTO processed_events (consumer, event_id, outcome)"
          " VALUES ($1, $2, 'dead_letter') ON CONFLICT DO NOTHING",
          options_.group, entry.record.event_id);
    }
    return absl::OkStatus();
  });
  if (recorded.ok() && dead) {
    ++dead_letters_;
    logging::Error(
        "event consumer: event set aside as a dead letter",
        {{"group", options_.group}, {"event_id", entry.record.event_id}});
    Ack({entry.id});
  }
  // Otherwise the entry stays pending and is claimed again after claim_idle.
}

void EventConsumer::Ack(const std::vector<std::string>& ids) {
  if (ids.empty()) return;
  std::vector<std::string> command = {"XACK", options_.stream, options_.group};
  command.insert(command.end(), ids.begin(), ids.end());
  absl::StatusOr<redis::Reply> reply = redis_.Run(command);
  if (!reply.ok()) {
    // Not acknowledged: delivered again later and dropped as a duplicate.
    logging::Warn("event consumer: XACK failed",
                  {{"error", reply.status().ToString()}});
  }
}

void EventConsumer::Start() {
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void EventConsumer::Stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void EventConsumer::Loop() {
  absl::Duration backoff = absl::Milliseconds(100);
  bool group_ready = false;
  while (!stopping_) {
    if (!group_ready) group_ready = EnsureGroup().ok();
    absl::StatusOr<int> handled =
        group_ready ? PollOnce()
                    : absl::StatusOr<int>(absl::UnavailableError("no group"));
    if (handled.ok()) {
      backoff = absl::Milliseconds(100);
      continue;
    }
    logging::Warn(
        "event consumer: poll failed",
        {{"group", options_.group}, {"error", handled.status().ToString()}});
    absl::SleepFor(backoff);
    backoff = std::min(backoff * 2, absl::Seconds(5));
  }
}

ConsumerStats EventConsumer::Stats() const {
  return ConsumerStats{applied_.load(), duplicates_.load(), failures_.load(),
                       dead_letters_.load(), claimed_.load()};
}

}  // namespace agora::events
