// agora.ranking.v1.RankingService over gRPC: each method maps protobuf to
// the domain and statuses back (handlers/serve.h); the domain does the
// rest. Votes go through the group-commit batcher.
//
// The hot paths (votes, tallies, leaderboards, ranks) use gRPC's callback
// API: a vote parks no server thread while its batch commits (the batcher's
// writer finishes the call), and reads run on the thread that read the
// request instead of being handed from a poller thread to a worker (that
// hand-off was most of a read's CPU, bench/RESULTS.md § Ranking). The rest
// stays on the synchronous API.
#ifndef AGORA_SERVICES_RANKING_HANDLERS_RANKING_HANDLER_H_
#define AGORA_SERVICES_RANKING_HANDLERS_RANKING_HANDLER_H_

#include "agora/ranking/v1/ranking.grpc.pb.h"
#include "libs/auth/jwt_verifier.h"
#include "services/ranking/domain/ranking_context.h"
#include "services/ranking/domain/rebuild.h"
#include "services/ranking/domain/vote_batcher.h"

namespace agora::ranking {

using RankingServiceBase = v1::RankingService::WithCallbackMethod_CastVote<
    v1::RankingService::WithCallbackMethod_RetractVote<
        v1::RankingService::WithCallbackMethod_GetTally<
            v1::RankingService::WithCallbackMethod_BatchGetTallies<
                v1::RankingService::WithCallbackMethod_ListLeaderboard<
                    v1::RankingService::WithCallbackMethod_GetRank<
                        v1::RankingService::Service>>>>>>;

class RankingHandler final : public RankingServiceBase {
 public:
  RankingHandler(RankingContext& context, VoteBatcher& votes,
                 Rebuilder& rebuilds, const auth::JwtVerifier& verifier);

  grpc::ServerUnaryReactor* CastVote(grpc::CallbackServerContext* context,
                                     const v1::CastVoteRequest* request,
                                     v1::CastVoteResponse* response) override;
  grpc::ServerUnaryReactor* RetractVote(
      grpc::CallbackServerContext* context,
      const v1::RetractVoteRequest* request,
      v1::RetractVoteResponse* response) override;
  grpc::Status ListVotes(grpc::ServerContext* context,
                         const v1::ListVotesRequest* request,
                         v1::ListVotesResponse* response) override;
  grpc::ServerUnaryReactor* GetTally(grpc::CallbackServerContext* context,
                                     const v1::GetTallyRequest* request,
                                     v1::Tally* response) override;
  grpc::ServerUnaryReactor* BatchGetTallies(
      grpc::CallbackServerContext* context,
      const v1::BatchGetTalliesRequest* request,
      v1::BatchGetTalliesResponse* response) override;
  grpc::ServerUnaryReactor* ListLeaderboard(
      grpc::CallbackServerContext* context,
      const v1::ListLeaderboardRequest* request,
      v1::ListLeaderboardResponse* response) override;
  grpc::ServerUnaryReactor* GetRank(grpc::CallbackServerContext* context,
                                    const v1::GetRankRequest* request,
                                    v1::Rank* response) override;
  grpc::Status ExplainRank(grpc::ServerContext* context,
                           const v1::ExplainRankRequest* request,
                           v1::RankExplanation* response) override;
  grpc::Status GetVoteSettings(grpc::ServerContext* context,
                               const v1::GetVoteSettingsRequest* request,
                               v1::VoteSettings* response) override;
  grpc::Status UpdateVoteSettings(grpc::ServerContext* context,
                                  const v1::UpdateVoteSettingsRequest* request,
                                  v1::VoteSettings* response) override;
  grpc::Status UpdateRankingParameters(
      grpc::ServerContext* context,
      const v1::UpdateRankingParametersRequest* request,
      v1::RankingParameters* response) override;
  grpc::Status GetRankingParameters(
      grpc::ServerContext* context,
      const v1::GetRankingParametersRequest* request,
      v1::RankingParameters* response) override;
  grpc::Status RebuildLeaderboards(
      grpc::ServerContext* context,
      const v1::RebuildLeaderboardsRequest* request,
      v1::Rebuild* response) override;
  grpc::Status GetRebuild(grpc::ServerContext* context,
                          const v1::GetRebuildRequest* request,
                          v1::Rebuild* response) override;
  grpc::Status ListRebuilds(grpc::ServerContext* context,
                            const v1::ListRebuildsRequest* request,
                            v1::ListRebuildsResponse* response) override;

  grpc::Status CheckConsistency(grpc::ServerContext* context,
                                const v1::CheckConsistencyRequest* request,
                                v1::ConsistencyReport* response) override;

  grpc::Status GetVoteIntegrityReport(
      grpc::ServerContext* context,
      const v1::GetVoteIntegrityReportRequest* request,
      v1::VoteIntegrityReport* response) override;

  // Reputation and the GDPR export: handlers/reputation_handlers.cc.
  grpc::Status GetReputation(grpc::ServerContext* context,
                             const v1::GetReputationRequest* request,
                             v1::Reputation* response) override;
  grpc::Status ListReputationEvents(
      grpc::ServerContext* context,
      const v1::ListReputationEventsRequest* request,
      v1::ListReputationEventsResponse* response) override;
  grpc::Status GetReputationPolicy(
      grpc::ServerContext* context,
      const v1::GetReputationPolicyRequest* request,
      v1::ReputationPolicy* response) override;
  grpc::Status UpdateReputationPolicy(
      grpc::ServerContext* context,
      const v1::UpdateReputationPolicyRequest* request,
      v1::ReputationPolicy* response) override;
  grpc::Status ExportMemberData(grpc::ServerContext* context,
                                const v1::ExportMemberDataRequest* request,
                                v1::MemberRankingData* response) override;

 private:
  RankingContext& context_;
  VoteBatcher& votes_;
  Rebuilder& rebuilds_;
  const auth::JwtVerifier& verifier_;
};

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_HANDLERS_RANKING_HANDLER_H_
