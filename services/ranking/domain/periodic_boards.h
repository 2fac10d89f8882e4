// The two boards whose scores move with time rather than with one post's
// votes: TRENDING (recent activity rate against the baseline rate) and
// MOST_ACTIVE_MEMBERS (weighted contributions per day). Both are
// recomputed from PostgreSQL off the request path, once a minute per
// tenant by one replica (a Redis lock), and swapped in whole (RENAME), so
// readers see the previous or the new board, never half of one.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_PERIODIC_BOARDS_H_
#define AGORA_SERVICES_RANKING_DOMAIN_PERIODIC_BOARDS_H_

#include <map>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/ranking/domain/ranking_context.h"
#include "services/ranking/formulas/formula_inputs.h"

namespace agora::ranking {

struct PeriodicBoardStats {
  int64_t trending_posts = 0;  // posts on the tenant-wide trending board
  int64_t active_members = 0;  // members on the all-time activity board
};

// Trending activity of the tenant's posts (or of `only_post` when not
// empty): counted votes changed, replies published and clicks, in the
// recent window and in the rest of the baseline window.
std::map<std::string, formulas::TrendingActivity> ReadTrendingActivity(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& only_post, absl::Time recent_start,
    absl::Time baseline_start, const std::string& time_zone);

// Contributions per member, day and type (of `only_member` when not
// empty), as reputation records them.
struct ContributionRow {
  std::string member;
  absl::CivilDay day;
  int contribution = 0;  // agora.ranking.v1.Contribution
  int64_t count = 0;
};
std::vector<ContributionRow> ReadContributions(pqxx::transaction_base& tx,
                                               const std::string& tenant,
                                               const std::string& only_member);

// Recomputes both boards of the tenant in its live generation.
absl::StatusOr<PeriodicBoardStats> RefreshPeriodicBoards(
    RankingContext& context, const std::string& tenant);

// Refreshes every tenant with posts whose lock this replica wins.
absl::Status RefreshAllPeriodicBoards(RankingContext& context);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_PERIODIC_BOARDS_H_
