// Reading the boards: ListLeaderboard pages a board × scope × window from
// Redis (never SQL on the request path), GetRank places one post on it,
// ExplainRank shows the formula, its inputs and the neighbours.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_LEADERBOARDS_H_
#define AGORA_SERVICES_RANKING_DOMAIN_LEADERBOARDS_H_

#include "absl/status/statusor.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// Anonymous callers pass nullptr.
absl::StatusOr<v1::ListLeaderboardResponse> ListLeaderboard(
    RankingContext& context, const auth::Principal* caller,
    const v1::ListLeaderboardRequest& request);

absl::StatusOr<v1::Rank> GetRank(RankingContext& context,
                                 const auth::Principal* caller,
                                 const v1::GetRankRequest& request);

absl::StatusOr<v1::RankExplanation> ExplainRank(
    RankingContext& context, const auth::Principal* caller,
    const v1::ExplainRankRequest& request);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_LEADERBOARDS_H_
