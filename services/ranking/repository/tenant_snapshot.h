// A whole tenant's ranking state as PostgreSQL says it should be: every
// published post with its tally and day series, read in one snapshot. The
// rebuild writes it to Redis; the consistency check compares Redis with it.
#ifndef AGORA_SERVICES_RANKING_REPOSITORY_TENANT_SNAPSHOT_H_
#define AGORA_SERVICES_RANKING_REPOSITORY_TENANT_SNAPSHOT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/pg/pool.h"
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/domain/vote_model.h"

namespace agora::ranking {

struct ExpectedPost {
  PostInfo post;
  TallyView view;
  DaySeries days;  // the last kBucketDays + 1 days ending at `now`
};

struct TenantState {
  std::vector<ExpectedPost> posts;  // published posts only
  int64_t votes_scanned = 0;
};

absl::StatusOr<TenantState> ReadTenantState(pg::ConnectionPool& pool,
                                            const std::string& tenant,
                                            const v1::VoteSettings& settings,
                                            const std::string& time_zone,
                                            absl::Time now);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_REPOSITORY_TENANT_SNAPSHOT_H_
