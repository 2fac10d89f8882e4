// CheckConsistency: compares what Redis holds for a tenant (tallies, board
// entries, day buckets) with what PostgreSQL says it should hold, reports
// the differences and, when asked, repairs the posts concerned.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_CONSISTENCY_H_
#define AGORA_SERVICES_RANKING_DOMAIN_CONSISTENCY_H_

#include "absl/status/statusor.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

absl::StatusOr<v1::ConsistencyReport> CheckConsistency(
    RankingContext& context, const auth::Principal& caller,
    const v1::CheckConsistencyRequest& request);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_CONSISTENCY_H_
