// Puts one post's tally, board entries and day buckets in Redis back in
// line with PostgreSQL: after Redis missed an update (it was down, or lost
// the keys), when a post is published or leaves the boards, and for the
// posts a consistency check finds wrong.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_POST_REPAIR_H_
#define AGORA_SERVICES_RANKING_DOMAIN_POST_REPAIR_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// The post's tally as PostgreSQL has it, now also in Redis; nullopt for an
// unknown or unpublished post (which has no tally in Redis). When Redis holds
// no generation for the tenant, asks for a rebuild and records the post as
// pending. UNAVAILABLE when Redis is down (the post is then recorded as pending
// repair).
absl::StatusOr<std::optional<TallyView>> RepairPost(RankingContext& context,
                                                    const std::string& tenant,
                                                    const std::string& post);

// The tally from PostgreSQL alone (Redis down): what the vote path answers
// with while Redis is away.
absl::StatusOr<std::optional<TallyView>> TallyFromDatabase(
    RankingContext& context, const std::string& tenant,
    const std::string& post);

// Records posts whose Redis state must be repaired (own transaction).
absl::Status RecordPendingRepairs(RankingContext& context,
                                  const std::string& tenant,
                                  const std::vector<std::string>& posts);

// Repairs up to `limit` pending posts; the number repaired. Stops at the
// first Redis failure (they stay pending).
absl::StatusOr<int> RepairPendingPosts(RankingContext& context, int limit);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_POST_REPAIR_H_
