// CastVote, RetractVote, ListVotes and the tallies: who may vote, the
// shape of the request, the vote rate, then the batcher does the writing.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_VOTES_H_
#define AGORA_SERVICES_RANKING_DOMAIN_VOTES_H_

#include "absl/status/statusor.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"
#include "services/ranking/domain/vote_batcher.h"
#include "services/ranking/repository/vote_store.h"

namespace agora::ranking {

// Checks the caller and the request and builds the batcher's command.
absl::StatusOr<VoteCommand> CastVoteCommand(RankingContext& context,
                                            const auth::Principal& caller,
                                            const v1::CastVoteRequest& request);
absl::StatusOr<VoteCommand> RetractVoteCommand(
    RankingContext& context, const auth::Principal& caller,
    const v1::RetractVoteRequest& request);

// The answers made of the batcher's result.
absl::StatusOr<v1::CastVoteResponse> CastVoteResponseOf(
    const VoteCommand& command, VoteResult result);
absl::StatusOr<v1::RetractVoteResponse> RetractVoteResponseOf(
    const VoteCommand& command, VoteResult result);

absl::StatusOr<v1::ListVotesResponse> ListVotes(
    RankingContext& context, const auth::Principal& caller,
    const v1::ListVotesRequest& request);

// Anonymous callers pass nullptr.
absl::StatusOr<v1::Tally> GetTally(RankingContext& context,
                                   const auth::Principal* caller,
                                   const v1::GetTallyRequest& request);
absl::StatusOr<v1::BatchGetTalliesResponse> BatchGetTallies(
    RankingContext& context, const auth::Principal* caller,
    const v1::BatchGetTalliesRequest& request);

v1::Vote ToVoteProto(const std::string& tenant, const PostInfo& post,
                     const std::string& voter, const StoredVote& vote);

// Appends `rows` (votes of one tenant) as Vote messages, with their posts'
// kinds read in one query.
void AppendVotes(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::vector<VoteRow>& rows,
                 google::protobuf::RepeatedPtrField<v1::Vote>* out);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_VOTES_H_
