// Vote-fraud defence beyond the per-member rate: serial voting (a member
// voting many posts of one author within the tenant's window) is reversed
// automatically and announced for moderators (votes_reversed); votes held
// for young accounts are released once the account is old enough; and
// GetVoteIntegrityReport shows the figures, serial cases and voting rings
// (pairs who vote for each other far above chance).
#ifndef AGORA_SERVICES_RANKING_DOMAIN_VOTE_INTEGRITY_H_
#define AGORA_SERVICES_RANKING_DOMAIN_VOTE_INTEGRITY_H_

#include <pqxx/pqxx>

#include "absl/status/statusor.h"
#include "agora/events/v1/events.pb.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// Consumer of ranking's own vote events: after a vote on an author's post,
// counts the voter's counted votes on that author's posts within the
// window and reverses them all once they reach the threshold. The posts
// concerned are recorded for repair (their tallies drop).
absl::Status DetectSerialVoting(RankingContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event);

// Counts the held votes of accounts now old enough (or verified), each
// announced as a vote_changed to weight 1 (reputation then gives its
// points); the posts concerned are recorded for repair. The number
// released.
absl::StatusOr<int64_t> ReleaseHeldVotes(RankingContext& context);

absl::StatusOr<v1::VoteIntegrityReport> GetVoteIntegrityReport(
    RankingContext& context, const auth::Principal& caller,
    const v1::GetVoteIntegrityReportRequest& request);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_VOTE_INTEGRITY_H_
