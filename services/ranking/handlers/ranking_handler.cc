#include "services/ranking/handlers/ranking_handler.h"

#include "absl/strings/str_cat.h"
#include "services/ranking/domain/consistency.h"
#include "services/ranking/domain/leaderboards.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/settings_admin.h"
#include "services/ranking/domain/vote_integrity.h"
#include "services/ranking/domain/votes.h"
#include "services/ranking/handlers/serve.h"

namespace agora::ranking {

RankingHandler::RankingHandler(RankingContext& context, VoteBatcher& votes,
                               Rebuilder& rebuilds,
                               const auth::JwtVerifier& verifier)
    : context_(context),
      votes_(votes),
      rebuilds_(rebuilds),
      verifier_(verifier) {}

grpc::Status RankingHandler::CastVote(grpc::ServerContext* context,
                                      const v1::CastVoteRequest* request,
                                      v1::CastVoteResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller)
                   -> absl::StatusOr<v1::CastVoteResponse> {
                 absl::StatusOr<VoteCommand> command =
                     CastVoteCommand(context_, caller, *request);
                 if (!command.ok()) return command.status();
                 return CastVoteResponseOf(*command, votes_.Run(*command));
               });
}

grpc::Status RankingHandler::RetractVote(grpc::ServerContext* context,
                                         const v1::RetractVoteRequest* request,
                                         v1::RetractVoteResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller)
                   -> absl::StatusOr<v1::RetractVoteResponse> {
                 absl::StatusOr<VoteCommand> command =
                     RetractVoteCommand(context_, caller, *request);
                 if (!command.ok()) return command.status();
                 return RetractVoteResponseOf(*command, votes_.Run(*command));
               });
}

grpc::Status RankingHandler::ListVotes(grpc::ServerContext* context,
                                       const v1::ListVotesRequest* request,
                                       v1::ListVotesResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ranking::ListVotes(context_, caller, *request);
               });
}

grpc::Status RankingHandler::GetTally(grpc::ServerContext* context,
                                      const v1::GetTallyRequest* request,
                                      v1::Tally* response) {
  return ServeOptional(context, verifier_, response,
                       [&](const auth::Principal* caller) {
                         return ranking::GetTally(context_, caller, *request);
                       });
}

grpc::Status RankingHandler::BatchGetTallies(
    grpc::ServerContext* context, const v1::BatchGetTalliesRequest* request,
    v1::BatchGetTalliesResponse* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::BatchGetTallies(context_, caller, *request);
      });
}

grpc::Status RankingHandler::ListLeaderboard(
    grpc::ServerContext* context, const v1::ListLeaderboardRequest* request,
    v1::ListLeaderboardResponse* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::ListLeaderboard(context_, caller, *request);
      });
}

grpc::Status RankingHandler::GetRank(grpc::ServerContext* context,
                                     const v1::GetRankRequest* request,
                                     v1::Rank* response) {
  return ServeOptional(context, verifier_, response,
                       [&](const auth::Principal* caller) {
                         return ranking::GetRank(context_, caller, *request);
                       });
}

grpc::Status RankingHandler::ExplainRank(grpc::ServerContext* context,
                                         const v1::ExplainRankRequest* request,
                                         v1::RankExplanation* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::ExplainRank(context_, caller, *request);
      });
}

grpc::Status RankingHandler::GetVoteSettings(
    grpc::ServerContext* context, const v1::GetVoteSettingsRequest* request,
    v1::VoteSettings* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetVoteSettings(context_, caller, *request);
      });
}

grpc::Status RankingHandler::UpdateVoteSettings(
    grpc::ServerContext* context, const v1::UpdateVoteSettingsRequest* request,
    v1::VoteSettings* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ranking::UpdateVoteSettings(context_, caller, *request);
               });
}

grpc::Status RankingHandler::GetRankingParameters(
    grpc::ServerContext* context,
    const v1::GetRankingParametersRequest* request,
    v1::RankingParameters* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetRankingParameters(context_, caller, *request);
      });
}

grpc::Status RankingHandler::UpdateRankingParameters(
    grpc::ServerContext* context,
    const v1::UpdateRankingParametersRequest* request,
    v1::RankingParameters* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ranking::UpdateRankingParameters(context_, caller, *request);
      });
}

grpc::Status RankingHandler::RebuildLeaderboards(
    grpc::ServerContext* context, const v1::RebuildLeaderboardsRequest* request,
    v1::Rebuild* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return rebuilds_.Start(caller, *request);
               });
}

grpc::Status RankingHandler::GetRebuild(grpc::ServerContext* context,
                                        const v1::GetRebuildRequest* request,
                                        v1::Rebuild* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return rebuilds_.Get(caller, *request);
               });
}

grpc::Status RankingHandler::ListRebuilds(
    grpc::ServerContext* context, const v1::ListRebuildsRequest* request,
    v1::ListRebuildsResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return rebuilds_.List(caller, *request);
               });
}

grpc::Status RankingHandler::CheckConsistency(
    grpc::ServerContext* context, const v1::CheckConsistencyRequest* request,
    v1::ConsistencyReport* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ranking::CheckConsistency(context_, caller, *request);
               });
}

grpc::Status RankingHandler::GetVoteIntegrityReport(
    grpc::ServerContext* context,
    const v1::GetVoteIntegrityReportRequest* request,
    v1::VoteIntegrityReport* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ranking::GetVoteIntegrityReport(context_, caller, *request);
      });
}

}  // namespace agora::ranking
