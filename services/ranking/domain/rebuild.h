// Rebuilding a tenant's tallies and boards from PostgreSQL. The new state
// is written into a fresh generation of keys while traffic keeps using
// the live one; setting the generation number swaps it in at once; the
// posts that changed during the build are then recomputed in the new
// generation, and the old one is deleted. At most one rebuild per tenant
// runs at a time (a Redis lock across replicas, a unique index in
// PostgreSQL for the record).
#ifndef AGORA_SERVICES_RANKING_DOMAIN_REBUILD_H_
#define AGORA_SERVICES_RANKING_DOMAIN_REBUILD_H_

#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

struct RebuildStats {
  int64_t votes_scanned = 0;
  int64_t boards_written = 0;  // posts written on boards
  int64_t tallies_written = 0;
  int64_t caught_up = 0;  // posts recomputed after the swap
};

// The whole rebuild, synchronously. FAILED_PRECONDITION (reason
// OPERATION_IN_PROGRESS) when another replica holds the tenant's lock;
// UNAVAILABLE when Redis is down. `progress` is called now and then.
absl::StatusOr<RebuildStats> RebuildTenant(
    RankingContext& context, const std::string& tenant,
    const std::function<void(const RebuildStats&, int percent)>& progress =
        nullptr);

// Runs rebuilds in the background and keeps their records.
class Rebuilder {
 public:
  explicit Rebuilder(RankingContext& context);
  Rebuilder(const Rebuilder&) = delete;
  Rebuilder& operator=(const Rebuilder&) = delete;
  ~Rebuilder();  // waits for running rebuilds

  // RebuildLeaderboards: the running rebuild of the tenant, or a new one.
  absl::StatusOr<v1::Rebuild> Start(
      const auth::Principal& caller,
      const v1::RebuildLeaderboardsRequest& request);
  // A rebuild the service starts itself (Redis lost the tenant's boards);
  // ignored while one is running.
  void StartAutomatic(const std::string& tenant);

  absl::StatusOr<v1::Rebuild> Get(const auth::Principal& caller,
                                  const v1::GetRebuildRequest& request);
  absl::StatusOr<v1::ListRebuildsResponse> List(
      const auth::Principal& caller, const v1::ListRebuildsRequest& request);

 private:
  absl::StatusOr<v1::Rebuild> Begin(const std::string& tenant,
                                    const common::v1::Actor& requester);

  RankingContext& context_;
  absl::Mutex mu_;
  std::vector<std::thread> threads_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> running_ ABSL_GUARDED_BY(mu_);
};

// Tenant admins of the tenant, platform admins, and service accounts with
// scope ranking.admin.
absl::Status RequireRankingAdmin(const auth::Principal& caller,
                                 const std::string& tenant);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_REBUILD_H_
