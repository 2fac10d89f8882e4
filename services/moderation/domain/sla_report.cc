#include "services/moderation/domain/sla_report.h"

#include <cmath>
#include <pqxx/pqxx>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "google/protobuf/util/time_util.h"
#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/policy_store.h"

namespace agora::moderation {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDefaultWindow = absl::Hours(7 * 24);
constexpr absl::Duration kMaxWindow = absl::Hours(366 * 24);

struct ReportWindow {
  int64_t start_micros = 0;
  int64_t end_micros = 0;
};

// The SQL of `text` with {START}, {END} and {NOW} (the window and now, as
// timestamps: numbers computed here, never caller text) and the contract's
// enum values spelled in. Queries take $1 = tenant and $2 = space ('' for
// every space).
std::string Sql(absl::string_view text, const ReportWindow& window,
                int64_t now_micros) {
  auto at = [](int64_t micros) {
    return absl::StrCat("('epoch'::timestamptz + ", micros,
                        "::bigint * interval '1 microsecond')");
  };
  return absl::StrReplaceAll(
      text,
      {{"{START}", at(window.start_micros)},
       {"{END}", at(window.end_micros)},
       {"{NOW}", at(now_micros)},
       {"{OPEN_STATES}", absl::StrCat(v1::QueueItem::STATE_OPEN, ",",
                                      v1::QueueItem::STATE_CLAIMED)},
       {"{DECIDED_STATE}", absl::StrCat(v1::QueueItem::STATE_DECIDED)},
       {"{SOURCE_HELD}", absl::StrCat(v1::QUEUE_SOURCE_HELD)},
       {"{VERDICT_INSTANT}",
        absl::StrCat(common::MODERATION_VERDICT_PUBLISH, ",",
                     common::MODERATION_VERDICT_PUBLISH_THEN_REVIEW)},
       {"{VERDICT_HOLD}", absl::StrCat(common::MODERATION_VERDICT_HOLD)},
       {"{VERDICT_REJECT}", absl::StrCat(common::MODERATION_VERDICT_REJECT)},
       {"{APPROVALS}", absl::StrCat(v1::DECISION_ACTION_APPROVE, ",",
                                    v1::DECISION_ACTION_EDIT_AND_APPROVE)},
       {"{APPEAL_DECIDED_STATES}", absl::StrCat(v1::Appeal::STATE_UPHELD, ",",
                                                v1::Appeal::STATE_OVERTURNED)},
       {"{APPEAL_OVERTURNED}", absl::StrCat(v1::Appeal::STATE_OVERTURNED)}});
}

// Count and percentiles of a `seconds` column.
constexpr char kPercentiles[] =
    "count(*)::bigint,"
    " percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds),"
    " percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds),"
    " percentile_cont(0.99) WITHIN GROUP (ORDER BY seconds)";

bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  return t.seconds() >= TimeUtil::kTimestampMinSeconds &&
         t.seconds() <= TimeUtil::kTimestampMaxSeconds && t.nanos() >= 0 &&
         t.nanos() <= 999999999;
}

absl::StatusOr<ReportWindow> WindowOf(const common::TimeRange& window,
                                      absl::Time now) {
  absl::Time end = now;
  if (window.has_end_time()) {
    if (!IsValidTimestamp(window.end_time())) {
      return absl::InvalidArgumentError(
          "window.end_time: not a valid timestamp");
    }
    end = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(window.end_time()));
  }
  absl::Time start = end - kDefaultWindow;
  if (window.has_start_time()) {
    if (!IsValidTimestamp(window.start_time())) {
      return absl::InvalidArgumentError(
          "window.start_time: not a valid timestamp");
    }
    start = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(window.start_time()));
  }
  if (start >= end) {
    return absl::InvalidArgumentError(
        "window: start_time must be before end_time");
  }
  if (end - start > kMaxWindow) {
    return absl::InvalidArgumentError("window: at most 366 days");
  }
  return ReportWindow{absl::ToUnixMicros(start), absl::ToUnixMicros(end)};
}

google::protobuf::Duration SecondsToDuration(double seconds) {
  return TimeUtil::MicrosecondsToDuration(
      std::llround(std::max(0.0, seconds) * 1e6));
}

// Reads "count, p50, p95, p99" from `row` starting at `column`; the
// percentiles are NULL when there is no sample.
v1::DurationPercentiles PercentilesFrom(const pqxx::row& row, int column) {
  v1::DurationPercentiles percentiles;
  percentiles.set_count(row[column].as<int64_t>());
  if (percentiles.count() == 0) return percentiles;
  *percentiles.mutable_p50() = SecondsToDuration(row[column + 1].as<double>());
  *percentiles.mutable_p95() = SecondsToDuration(row[column + 2].as<double>());
  *percentiles.mutable_p99() = SecondsToDuration(row[column + 3].as<double>());
  return percentiles;
}

double Share(int64_t part, int64_t whole) {
  return whole == 0 ? 0.0 : static_cast<double>(part) / whole;
}

void FillQueueFigures(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& space, const ReportWindow& window,
                      int64_t now, v1::SlaReport& report) {
  const pqxx::result rows = tx.exec_params(
      Sql("SELECT source, count(*)::bigint,"
          " greatest(0, extract(epoch FROM {NOW} - min(create_time))"
          "  * 1000000)::bigint,"
          " (count(*) FILTER (WHERE due_time < {NOW}))::bigint,"
          " (count(*) FILTER (WHERE due_time < {NOW} AND due_time >= {START}"
          "  AND due_time < {END}))::bigint"
          " FROM queue_items WHERE tenant = $1 AND ($2 = '' OR space = $2)"
          " AND state IN ({OPEN_STATES}) GROUP BY source ORDER BY source",
          window, now),
      tenant, space);
  int64_t oldest_micros = 0;
  for (const pqxx::row& row : rows) {
    v1::QueueSourceCount& by_source = *report.add_queue_size_by_source();
    by_source.set_source(static_cast<v1::QueueSource>(row[0].as<int>()));
    by_source.set_count(row[1].as<int64_t>());
    report.set_queue_size(report.queue_size() + by_source.count());
    oldest_micros = std::max(oldest_micros, row[2].as<int64_t>());
    report.set_overdue_items(report.overdue_items() + row[3].as<int64_t>());
    report.set_sla_breaches(report.sla_breaches() + row[4].as<int64_t>());
  }
  *report.mutable_oldest_item_age() =
      TimeUtil::MicrosecondsToDuration(oldest_micros);
}

void FillDecisionFigures(pqxx::transaction_base& tx, const std::string& tenant,
                         const std::string& space, const ReportWindow& window,
                         int64_t now, v1::SlaReport& report) {
  const pqxx::row decided = tx.exec_params1(
      Sql(absl::StrCat(
              "SELECT ", kPercentiles,
              ", (count(*) FILTER (WHERE close_time > due_time))::bigint FROM"
              " (SELECT extract(epoch FROM close_time - create_time)"
              "  ::double precision AS seconds, close_time, due_time"
              "  FROM queue_items WHERE tenant = $1 AND ($2 = '' OR space = $2)"
              "  AND state = {DECIDED_STATE}"
              "  AND close_time >= {START} AND close_time < {END}) AS decided"),
          window, now),
      tenant, space);
  *report.mutable_time_to_decision() = PercentilesFrom(decided, 0);
  report.set_sla_breaches(report.sla_breaches() + decided[4].as<int64_t>());

  // Instant publications count 0 (screenings have no space: only without
  // one); held posts count from their screening (or, without one, their
  // queueing) to the approval.
  const pqxx::row published = tx.exec_params1(
      Sql(absl::StrCat(
              "SELECT ", kPercentiles,
              " FROM (SELECT 0::double precision AS seconds FROM screenings"
              "  WHERE tenant = $1 AND $2 = '' AND verdict IN "
              "({VERDICT_INSTANT})"
              "  AND create_time >= {START} AND create_time < {END}"
              " UNION ALL"
              " SELECT greatest(0, extract(epoch FROM d.create_time"
              "  - coalesce(s.create_time, q.create_time)))::double precision"
              "  FROM decisions d JOIN queue_items q"
              "   ON q.tenant = d.tenant AND q.id = d.queue_item_id"
              "  LEFT JOIN screenings s"
              "   ON s.tenant = q.tenant AND s.id = q.screening_id"
              "  WHERE d.tenant = $1 AND ($2 = '' OR q.space = $2)"
              "  AND d.action IN ({APPROVALS})"
              "  AND d.create_time >= {START} AND d.create_time < {END}"
              "  AND (s.verdict = {VERDICT_HOLD}"
              "   OR (s.id IS NULL AND q.source = {SOURCE_HELD}))) AS "
              "published"),
          window, now),
      tenant, space);
  *report.mutable_time_to_publish() = PercentilesFrom(published, 0);
}

void FillActivityFigures(pqxx::transaction_base& tx, const std::string& tenant,
                         const std::string& space, const ReportWindow& window,
                         int64_t now, v1::SlaReport& report) {
  const pqxx::row screened = tx.exec_params1(
      Sql("SELECT count(*)::bigint,"
          " (count(*) FILTER (WHERE verdict IN ({VERDICT_INSTANT})))::bigint,"
          " (count(*) FILTER (WHERE verdict = {VERDICT_HOLD}))::bigint,"
          " (count(*) FILTER (WHERE verdict = {VERDICT_REJECT}))::bigint"
          " FROM screenings WHERE tenant = $1"
          " AND create_time >= {START} AND create_time < {END}",
          window, now),
      tenant);
  const int64_t total = screened[0].as<int64_t>();
  report.set_screened(total);
  report.set_instant_publish_share(Share(screened[1].as<int64_t>(), total));
  report.set_held_share(Share(screened[2].as<int64_t>(), total));
  report.set_rejected_share(Share(screened[3].as<int64_t>(), total));

  const pqxx::row flags =
      tx.exec_params1(Sql("SELECT count(*)::bigint FROM flags WHERE tenant = $1"
                          " AND create_time >= {START} AND create_time < {END}",
                          window, now),
                      tenant);
  report.set_flags(flags[0].as<int64_t>());

  const pqxx::row appeals = tx.exec_params1(
      Sql("SELECT count(*)::bigint,"
          " (count(*) FILTER (WHERE a.state = {APPEAL_OVERTURNED}))::bigint"
          " FROM appeals a LEFT JOIN queue_items q"
          "  ON q.tenant = a.tenant AND q.id = a.queue_item_id"
          " WHERE a.tenant = $1 AND ($2 = '' OR q.space = $2)"
          " AND a.state IN ({APPEAL_DECIDED_STATES})"
          " AND a.decide_time >= {START} AND a.decide_time < {END}",
          window, now),
      tenant, space);
  report.set_appeals_decided(appeals[0].as<int64_t>());
  report.set_appeal_overturn_share(
      Share(appeals[1].as<int64_t>(), report.appeals_decided()));
}

}  // namespace

absl::StatusOr<v1::SlaReport> GetSlaReport(
    ModerationContext& context, const auth::Principal& caller,
    const v1::GetSlaReportRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "slaReport", false);
  if (!name.ok()) return name.status();
  const std::string& tenant = name->tenant;
  if (absl::Status s = RequireModerator(caller, tenant); !s.ok()) return s;
  if (!request.space().empty()) {
    absl::StatusOr<ResourceName> space =
        ParseResourceName("space", request.space(), "spaces", true);
    if (!space.ok()) return space.status();
    if (space->tenant != tenant) {
      return absl::InvalidArgumentError(
          absl::StrCat("space: must be a space of tenants/", tenant));
    }
  }
  const absl::Time now = context.now();
  absl::StatusOr<ReportWindow> window = WindowOf(request.window(), now);
  if (!window.ok()) return window.status();
  const int64_t now_micros = absl::ToUnixMicros(now);

  v1::SlaReport report;
  absl::Status read = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        report.Clear();
        report.set_name(absl::StrCat("tenants/", tenant, "/slaReport"));
        *report.mutable_window()->mutable_start_time() =
            TimeUtil::MicrosecondsToTimestamp(window->start_micros);
        *report.mutable_window()->mutable_end_time() =
            TimeUtil::MicrosecondsToTimestamp(window->end_micros);
        *report.mutable_review_sla() = LoadPolicy(tx, tenant).review_sla();
        FillQueueFigures(tx, tenant, request.space(), *window, now_micros,
                         report);
        FillDecisionFigures(tx, tenant, request.space(), *window, now_micros,
                            report);
        FillActivityFigures(tx, tenant, request.space(), *window, now_micros,
                            report);
        *report.mutable_compute_time() =
            TimeUtil::MicrosecondsToTimestamp(now_micros);
        return absl::OkStatus();
      },
      // Every figure from the same snapshot.
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!read.ok()) return read;
  return report;
}

absl::StatusOr<std::map<std::string, QueueFigures>> CurrentQueueFigures(
    ModerationContext& context) {
  const int64_t now_micros = absl::ToUnixMicros(context.now());
  std::map<std::string, QueueFigures> figures;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        figures.clear();
        const pqxx::result rows = tx.exec(
            Sql("SELECT tenant, count(*)::bigint,"
                " greatest(0, extract(epoch FROM {NOW} - min(create_time))"
                "  * 1000000)::bigint,"
                " (count(*) FILTER (WHERE due_time < {NOW}))::bigint"
                " FROM queue_items WHERE state IN ({OPEN_STATES})"
                " GROUP BY tenant",
                ReportWindow{}, now_micros));
        for (const pqxx::row& row : rows) {
          QueueFigures& tenant = figures[row[0].as<std::string>()];
          tenant.queue_size = row[1].as<int64_t>();
          tenant.oldest_item_age = absl::Microseconds(row[2].as<int64_t>());
          tenant.overdue_items = row[3].as<int64_t>();
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  return figures;
}

QueueGauges::QueueGauges(ModerationContext& context,
                         server::MetricsRegistry& registry,
                         absl::Duration interval)
    : context_(context),
      queue_size_(registry.AddGaugeFamily("agora_moderation_queue_size",
                                          "Review-queue items open or claimed.",
                                          {"tenant"})),
      oldest_item_age_(registry.AddGaugeFamily(
          "agora_moderation_oldest_item_age_seconds",
          "Age of the oldest open review-queue item.", {"tenant"})),
      overdue_items_(registry.AddGaugeFamily(
          "agora_moderation_overdue_items",
          "Open review-queue items past their due time (SLA breaches in "
          "progress).",
          {"tenant"})),
      refresher_("moderation queue gauges", interval,
                 [this] { return Refresh(); }) {}

absl::Status QueueGauges::Refresh() {
  absl::StatusOr<std::map<std::string, QueueFigures>> figures =
      CurrentQueueFigures(context_);
  if (!figures.ok()) return figures.status();
  std::map<server::LabelValues, double> sizes, ages, overdue;
  for (const auto& [tenant, tenant_figures] : *figures) {
    sizes[{tenant}] = static_cast<double>(tenant_figures.queue_size);
    ages[{tenant}] = absl::ToDoubleSeconds(tenant_figures.oldest_item_age);
    overdue[{tenant}] = static_cast<double>(tenant_figures.overdue_items);
  }
  queue_size_.SetAll(sizes);
  oldest_item_age_.SetAll(ages);
  overdue_items_.SetAll(overdue);
  return absl::OkStatus();
}

void QueueGauges::Start() { refresher_.Start(); }

void QueueGauges::Stop() { refresher_.Stop(); }

}  // namespace agora::moderation
