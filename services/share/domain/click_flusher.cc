#include "services/share/domain/click_flusher.h"

#include <map>
#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/api/resource_names.h"
#include "libs/events/event_record.h"
#include "libs/events/typed_event.h"
#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "services/share/cache/click_store.h"
#include "services/share/cache/share_keys.h"
#include "services/share/domain/names.h"
#include "services/share/repository/link_store.h"
#include "services/share/repository/post_store.h"
#include "services/share/repository/tenant_store.h"

namespace agora::share {
namespace {

using google::protobuf::util::TimeUtil;

constexpr size_t kEventsPerStatement = 1000;
// How long Redis keeps a sketch nobody clicks (PostgreSQL has it).
constexpr absl::Duration kSketchTtl = absl::Hours(24 * 7);

struct ClickRecord {
  std::string code;
  int64_t micros = 0;
  bool new_visitor = false;
  int64_t unique_visitors = -1;  // -1: unchanged by this click
  std::string day;               // YYYY-MM-DD, the tenant's calendar
};

struct ParsedBatch {
  std::vector<LinkDayDelta> deltas;
  std::map<std::string, LinkTimes> times;
  std::vector<ClickRecord> clicks;
};

// Human clicks come as records (their day counts and first and last times
// are derived here), bot clicks as counters.
ParsedBatch Parse(const SealedBatch& sealed) {
  ParsedBatch parsed;
  std::map<std::pair<std::string, std::string>, LinkDayDelta> deltas;
  auto delta_of = [&deltas](const std::string& code,
                            const std::string& day) -> LinkDayDelta* {
    absl::CivilDay civil;
    if (!absl::ParseCivilTime(day, &civil)) return nullptr;
    LinkDayDelta& delta = deltas[{code, day}];
    delta.code = code;
    delta.day = civil;
    return &delta;
  };
  auto later = [](std::optional<absl::Time>& slot, absl::Time time) {
    if (!slot.has_value() || *slot < time) slot = time;
  };
  for (const auto& [field, value] : sealed.counters) {
    const std::vector<std::string> parts = absl::StrSplit(field, '|');
    int64_t number = 0;
    if (!absl::SimpleAtoi(value, &number)) continue;
    if (parts.size() == 3 && parts[0] == "b") {
      if (LinkDayDelta* delta = delta_of(parts[1], parts[2])) {
        delta->bot_clicks += number;
      }
    } else if (parts.size() == 2 && parts[0] == "l") {
      later(parsed.times[parts[1]].last, absl::FromUnixMicros(number));
    }
  }
  for (const std::string& text : sealed.clicks) {
    const std::vector<std::string> parts = absl::StrSplit(text, '|');
    ClickRecord click;
    if (parts.size() != 5 || !absl::SimpleAtoi(parts[1], &click.micros) ||
        !absl::SimpleAtoi(parts[3], &click.unique_visitors)) {
      continue;
    }
    click.code = parts[0];
    click.new_visitor = parts[2] == "1";
    click.day = parts[4];
    LinkDayDelta* delta = delta_of(click.code, click.day);
    if (delta == nullptr) continue;
    ++delta->clicks;
    LinkTimes& times = parsed.times[click.code];
    const absl::Time when = absl::FromUnixMicros(click.micros);
    if (!times.first_human.has_value() || when < *times.first_human) {
      times.first_human = when;
    }
    later(times.last, when);
    parsed.clicks.push_back(std::move(click));
  }
  for (auto& [key, delta] : deltas) parsed.deltas.push_back(delta);
  return parsed;
}

events::v1::Event ShareEvent(const std::string& tenant, const std::string& code,
                             absl::Time when) {
  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  return events::NewEvent(events::v1::PRODUCER_SHARE, tenant, system,
                          ShortLinkResourceName(tenant, code), when);
}

void SetPost(const LinkRow& link, common::v1::TargetRef* post) {
  post->set_kind(static_cast<common::v1::ContentKind>(link.post_kind));
  post->set_name(api::PostResourceName(link.tenant, link.post));
}

std::string SharerName(const LinkRow& link) {
  return link.sharer.empty()
             ? ""
             : api::MemberResourceName(link.tenant, link.sharer);
}

absl::Status Append(ShareContext& context, pqxx::transaction_base& tx,
                    const std::vector<events::v1::Event>& events) {
  std::vector<events::EventRecord> records;
  for (size_t i = 0; i < events.size(); ++i) {
    absl::StatusOr<events::EventRecord> record = events::ToRecord(events[i]);
    if (!record.ok()) return record.status();
    records.push_back(*std::move(record));
    if (records.size() == kEventsPerStatement || i + 1 == events.size()) {
      if (absl::Status appended = context.outbox.AppendAll(tx, records);
          !appended.ok()) {
        return appended;
      }
      records.clear();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<FlushStats> FlushTenant(ShareContext& context,
                                       const std::string& tenant,
                                       const FlushOptions& options) {
  absl::StatusOr<TenantKeys> keys = KeysOf(context.keys, tenant);
  if (!keys.ok()) return keys.status();
  absl::StatusOr<std::optional<SealedBatch>> sealed =
      SealBatch(context.redis, *keys, events::NewEventId());
  if (!sealed.ok()) return sealed.status();
  FlushStats stats;
  if (!sealed->has_value()) return stats;
  const SealedBatch& batch = **sealed;
  const ParsedBatch parsed = Parse(batch);
  stats.counters = static_cast<int64_t>(batch.counters.size());
  stats.clicks = static_cast<int64_t>(parsed.clicks.size());

  absl::StatusOr<std::shared_ptr<const TenantSettings>> settings =
      context.settings.Get(tenant);
  if (!settings.ok()) return settings.status();
  const auto& milestones = (*settings)->settings.visitor_milestones();

  std::set<std::string> codes;
  for (const LinkDayDelta& delta : parsed.deltas) codes.insert(delta.code);

  absl::Status written = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        stats.events = 0;
        stats.reapplied = false;
        // Flushes of one tenant take turns (sketch merges read, then write).
        LoadTenant(tx, tenant, /*lock=*/true);
        const std::map<std::string, LinkRow> links =
            LinksByCode(tx, tenant, codes);
        // The sketches these clicks touched (the script added each human
        // visitor to these four).
        std::set<std::string> scopes;
        for (const ClickRecord& click : parsed.clicks) {
          auto link = links.find(click.code);
          if (link == links.end()) continue;
          scopes.insert(LinkScope(click.code));
          scopes.insert(PostScope(link->second.post));
          scopes.insert(
              PostNetworkScope(link->second.post, link->second.network));
          scopes.insert(PostDayScope(link->second.post, click.day));
        }
        std::vector<events::v1::Event> events;
        if (MarkBatchApplied(tx, tenant, batch.batch)) {
          AddClickDeltas(tx, tenant, parsed.deltas);
          const std::vector<std::string> shared =
              RecordClickTimes(tx, tenant, parsed.times);
          // A repeat visitor's click left the count as it was: the last
          // count seen for the link, or PostgreSQL's.
          std::map<std::string, int64_t> last_count;
          for (const ClickRecord& click : parsed.clicks) {
            auto link = links.find(click.code);
            if (link == links.end()) continue;
            int64_t unique_visitors = click.unique_visitors;
            if (unique_visitors >= 0) {
              last_count[click.code] = unique_visitors;
            } else {
              auto seen = last_count.find(click.code);
              unique_visitors = seen != last_count.end()
                                    ? seen->second
                                    : link->second.unique_visitors;
            }
            events::v1::Event event = ShareEvent(
                tenant, click.code, absl::FromUnixMicros(click.micros));
            events::v1::LinkClicked* clicked = event.mutable_link_clicked();
            clicked->set_short_link(ShortLinkResourceName(tenant, click.code));
            SetPost(link->second, clicked->mutable_post());
            clicked->set_network(
                static_cast<common::v1::ShareNetwork>(link->second.network));
            clicked->set_sharer(SharerName(link->second));
            clicked->set_new_visitor(click.new_visitor);
            clicked->set_unique_visitors(unique_visitors);
            events.push_back(std::move(event));
          }
          std::map<std::string, std::string> authors;
          for (const std::string& code : shared) {
            auto link = links.find(code);
            if (link == links.end()) continue;
            const std::string& post = link->second.post;
            if (authors.count(post) == 0) {
              std::optional<PostRow> row = LoadPost(tx, tenant, post);
              authors[post] = row.has_value() && !row->author.empty()
                                  ? api::MemberResourceName(tenant, row->author)
                                  : "";
            }
            auto times = parsed.times.find(code);
            events::v1::Event event =
                ShareEvent(tenant, code,
                           times != parsed.times.end() &&
                                   times->second.first_human.has_value()
                               ? *times->second.first_human
                               : context.now());
            events::v1::PostShared* post_shared = event.mutable_post_shared();
            post_shared->set_short_link(ShortLinkResourceName(tenant, code));
            SetPost(link->second, post_shared->mutable_post());
            post_shared->set_network(
                static_cast<common::v1::ShareNetwork>(link->second.network));
            post_shared->set_sharer(SharerName(link->second));
            post_shared->set_post_author(authors[post]);
            events.push_back(std::move(event));
          }
        } else {
          stats.reapplied = true;
        }

        // Sketches: merged every time (a union), applied batch or not.
        const std::vector<std::string> scope_list(scopes.begin(), scopes.end());
        const std::map<std::string, std::string> stored =
            LoadSketches(tx, tenant, scope_list);
        std::vector<std::pair<std::string, std::string>> inputs;
        for (const std::string& scope : scope_list) {
          auto found = stored.find(scope);
          inputs.emplace_back(scope,
                              found == stored.end() ? "" : found->second);
        }
        absl::StatusOr<std::vector<MergedSketch>> merged =
            MergeSketches(context.redis, *keys, inputs, kSketchTtl);
        if (!merged.ok()) return merged.status();
        std::vector<Sketch> sketches;
        std::map<std::string, int64_t> link_visitors;
        for (size_t i = 0; i < inputs.size(); ++i) {
          const MergedSketch& sketch = (*merged)[i];
          if (sketch.registers.empty()) continue;
          sketches.push_back(
              {inputs[i].first, sketch.registers, sketch.estimate});
          if (!absl::StartsWith(inputs[i].first, "link:")) continue;
          const std::string code = inputs[i].first.substr(5);
          link_visitors[code] = sketch.estimate;
          auto link = links.find(code);
          if (link == links.end() || link->second.sharer.empty()) continue;
          std::vector<int64_t> crossed;
          for (int64_t milestone : milestones) {
            if (milestone <= sketch.estimate) crossed.push_back(milestone);
          }
          for (int64_t milestone :
               RecordMilestones(tx, tenant, code, crossed)) {
            events::v1::Event event = ShareEvent(tenant, code, context.now());
            events::v1::ShareMilestoneReached* reached =
                event.mutable_share_milestone_reached();
            reached->set_short_link(ShortLinkResourceName(tenant, code));
            SetPost(link->second, reached->mutable_post());
            reached->set_sharer(SharerName(link->second));
            reached->set_milestone(milestone);
            reached->set_unique_visitors(sketch.estimate);
            events.push_back(std::move(event));
          }
        }
        SaveSketches(tx, tenant, sketches);
        SetUniqueVisitors(tx, tenant, link_visitors);
        stats.sketches = static_cast<int64_t>(inputs.size());
        if (absl::Status appended = Append(context, tx, events);
            !appended.ok()) {
          return appended;
        }
        stats.events = static_cast<int64_t>(events.size());
        SetLastFlushTime(tx, tenant);
        return absl::OkStatus();
      });
  if (!written.ok()) return written;
  if (options.release) {
    if (absl::Status released = ReleaseBatch(context.redis, *keys, batch.batch);
        !released.ok()) {
      // The next flush finds the batch still sealed, sees it applied and
      // only merges its sketches again.
      return released;
    }
  }
  return stats;
}

absl::StatusOr<FlushStats> FlushAll(ShareContext& context) {
  std::vector<std::string> tenants;
  absl::Status listed =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tenants = ListTenants(tx);
        PruneAppliedBatches(tx, absl::Hours(24 * 7));
        return absl::OkStatus();
      });
  if (!listed.ok()) return listed;
  FlushStats total;
  absl::Status first_error;
  for (const std::string& tenant : tenants) {
    absl::StatusOr<FlushStats> flushed = FlushTenant(context, tenant);
    if (!flushed.ok()) {
      if (first_error.ok()) first_error = flushed.status();
      continue;
    }
    total.counters += flushed->counters;
    total.clicks += flushed->clicks;
    total.sketches += flushed->sketches;
    total.events += flushed->events;
  }
  if (!first_error.ok()) return first_error;
  return total;
}

void ClickFlusher::Start() {
  thread_ = std::thread([this] { Loop(); });
}

void ClickFlusher::Stop() {
  if (!thread_.joinable()) return;
  if (!stop_.HasBeenNotified()) stop_.Notify();
  thread_.join();
}

void ClickFlusher::Loop() {
  while (true) {
    const bool stopping = stop_.WaitForNotificationWithTimeout(interval_);
    absl::StatusOr<FlushStats> flushed = FlushAll(context_);
    if (!flushed.ok()) {
      logging::Warn("share: flush failed, retried at the next one",
                    {{"error", flushed.status().ToString()}});
    }
    if (stopping) return;
  }
}

}  // namespace agora::share
