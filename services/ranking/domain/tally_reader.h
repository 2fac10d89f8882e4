// Reads posts' tallies from Redis in one round trip, repairing from
// PostgreSQL the ones Redis lost, and from PostgreSQL alone while Redis is
// down: list pages always get counts.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_TALLY_READER_H_
#define AGORA_SERVICES_RANKING_DOMAIN_TALLY_READER_H_

#include <optional>
#include <vector>

#include "absl/status/statusor.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// One entry per post of `posts` (all of one tenant): nullopt for posts
// that are unknown or not published.
absl::StatusOr<std::vector<std::optional<TallyView>>> ReadTallies(
    RankingContext& context, const std::string& tenant,
    const std::vector<std::string>& posts);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_TALLY_READER_H_
