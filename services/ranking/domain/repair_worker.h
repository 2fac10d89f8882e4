// The background side of self-repair: drains pending repairs (posts whose
// Redis state missed an update, or changed through an event) every
// `interval`, and once a minute makes sure every tenant with posts has its
// boards in Redis, asking for a rebuild when Redis lost them (FLUSHALL, a
// failover to an empty replica). Nothing an operator must run.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_
#define AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_

#include <thread>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
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
  RepairWorker(const RepairWorker&) = delete;
  RepairWorker& operator=(const RepairWorker&) = delete;
  ~RepairWorker();  // stops

  void Start();
  // Repairs now rather than at the next tick (an event changed posts).
  void Wake();

 private:
  void Loop();

  RankingContext& context_;
  const absl::Duration interval_;
  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_REPAIR_WORKER_H_
