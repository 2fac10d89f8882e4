#include "services/ranking/domain/repair_worker.h"

#include <pqxx/pqxx>

#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "services/ranking/domain/periodic_boards.h"
#include "services/ranking/domain/post_repair.h"
#include "services/ranking/domain/vote_integrity.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {

absl::StatusOr<int> EnsureBoards(RankingContext& context) {
  std::vector<std::string> tenants;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tenants = TenantsWithPosts(tx);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  int asked = 0;
  for (const std::string& tenant : tenants) {
    context.boards.ForgetGeneration(tenant);
    absl::StatusOr<int64_t> generation = context.boards.Generation(tenant);
    if (absl::IsNotFound(generation.status())) {
      context.request_rebuild(tenant);
      ++asked;
    } else if (!generation.ok()) {
      return generation.status();
    }
  }
  return asked;
}

RepairWorker::RepairWorker(RankingContext& context, absl::Duration interval)
    : context_(context),
      task_("ranking repair worker", interval, [this] { return RunOnce(); }) {}

absl::Status RepairWorker::RunOnce() {
  if (absl::Now() >= next_check_) {
    next_check_ = absl::Now() + absl::Minutes(1);
    absl::StatusOr<int> asked = EnsureBoards(context_);
    if (!asked.ok()) {
      logging::Warn("ranking: board check failed",
                    {{"error", asked.status().ToString()}});
    }
    if (absl::Status refreshed = RefreshAllPeriodicBoards(context_);
        !refreshed.ok()) {
      logging::Warn("ranking: trending and activity boards not refreshed",
                    {{"error", refreshed.ToString()}});
    }
    absl::StatusOr<int64_t> released = ReleaseHeldVotes(context_);
    if (!released.ok()) {
      logging::Warn("ranking: held votes not released",
                    {{"error", released.status().ToString()}});
    }
  }
  absl::StatusOr<int> repaired = RepairPendingPosts(context_, 200);
  // Redis being down is the normal reason to wait; repairs go on after it.
  if (!repaired.ok() && !absl::IsUnavailable(repaired.status())) {
    return repaired.status();
  }
  return absl::OkStatus();
}

}  // namespace agora::ranking
