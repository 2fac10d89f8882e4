// How fast moderation answers, per tenant: GetSlaReport (moderators and
// tenant admins), computed in SQL from queue_items, decisions, screenings,
// flags and appeals in one snapshot.
//
// Figures and what they count:
//   queue_size, queue_size_by_source, oldest_item_age, overdue_items:
//     items open or claimed now (always current, whatever the window);
//   time_to_decision: close_time - create_time of items decided in the
//     window (percentile_cont over every one of them);
//   time_to_publish: posts published in the window: screenings that
//     published at once count 0; held posts approved (or edited and
//     approved) count from their screening to the approval;
//   sla_breaches: items decided in the window after their due time, plus
//     items still open whose due time passed within the window;
//   screened and the instant/held/rejected shares: screenings in the
//     window;
//   flags: flags created in the window; appeals_decided and
//     appeal_overturn_share: appeals decided in the window.
// With `space`, queue figures, decisions, breaches, held publications and
// appeals are those of the space; screenings and flags do not record their
// space, so screened, the shares, flags and instant publications stay the
// tenant's (instant publications are then left out of time_to_publish).
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_SLA_REPORT_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_SLA_REPORT_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "libs/server/metrics.h"
#include "libs/server/periodic_task.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// The window defaults to the 7 days before now; INVALID_ARGUMENT naming
// `window` when it is longer than 366 days or ends before it starts, and
// `space` when it is not a space of the tenant.
absl::StatusOr<agora::moderation::v1::SlaReport> GetSlaReport(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::GetSlaReportRequest& request);

// The current queue figures of one tenant, for the Prometheus gauges.
struct QueueFigures {
  int64_t queue_size = 0;
  absl::Duration oldest_item_age = absl::ZeroDuration();
  int64_t overdue_items = 0;
};

// The queue figures of every tenant with open items now (one query).
absl::StatusOr<std::map<std::string, QueueFigures>> CurrentQueueFigures(
    ModerationContext& context);

// The queue figures as Prometheus gauges labelled by tenant, refreshed by
// a thread of their own every `interval` (a scrape never waits for the
// database):
//   agora_moderation_queue_size{tenant}               items open or claimed
//   agora_moderation_oldest_item_age_seconds{tenant}  age of the oldest
//   agora_moderation_overdue_items{tenant}            open past their due
//                                                      time (live breaches)
// A tenant whose queue empties reads 0. A failed refresh keeps the last
// figures and is retried at the next tick.
class QueueGauges {
 public:
  QueueGauges(ModerationContext& context, server::MetricsRegistry& registry,
              absl::Duration interval = absl::Seconds(15));
  QueueGauges(const QueueGauges&) = delete;
  QueueGauges& operator=(const QueueGauges&) = delete;

  // One refresh now (the thread calls it; tests too).
  absl::Status Refresh();
  void Start();
  void Stop();

 private:
  ModerationContext& context_;
  server::GaugeFamily& queue_size_;
  server::GaugeFamily& oldest_item_age_;
  server::GaugeFamily& overdue_items_;
  server::PeriodicTask refresher_;  // last: stops before the rest goes
};

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_SLA_REPORT_H_
