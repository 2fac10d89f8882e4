// The background side of self-repair: drains pending repairs (posts whose
// Redis state missed an update, or changed through an event) every
// `interval`, and once a minute makes sure every tenant with posts has its
// boards in Redis, asking for a rebuild when Redis lost them (FLUSHALL, a
// failover to an empty replica). Nothing an operator must run.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_
#define AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_

#include "absl/time/time.h"
#include "libs/server/periodic_task.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// Once a minute it also recomputes the TRENDING and MOST_ACTIVE_MEMBERS
// boards (domain/periodic_boards) and releases the held votes of accounts
// now old enough (domain/vote_integrity).
//
// Starts a rebuild for each tenant that has posts but no boards in Redis;
// the number asked for.
absl::StatusOr<int> EnsureBoards(RankingContext& context);

class RepairWorker {
 public:
  RepairWorker(RankingContext& context, absl::Duration interval);

  void Start() { task_.Start(); }
  // Repairs now rather than at the next tick (an event changed posts).
  void Wake() { task_.Wake(); }

 private:
  absl::Status RunOnce();

  RankingContext& context_;
  absl::Time next_check_ = absl::InfinitePast();  // the task's thread only
  server::PeriodicTask task_;  // last: stops before the rest goes
};

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_
