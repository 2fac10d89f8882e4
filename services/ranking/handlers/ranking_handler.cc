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

namespace {

// Finishes a callback-API call at once, on the thread that read it.
grpc::ServerUnaryReactor* FinishNow(grpc::CallbackServerContext* context,
                                    const grpc::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(status);
  return reactor;
}

// Authenticates the caller and builds the vote with `command_of(caller)`,
// then hands it to the batcher; the call finishes with
// `response_of(command, result)` once the batch holding it has committed.
template <typename Response, typename CommandOf>
grpc::ServerUnaryReactor* SubmitVote(
    grpc::CallbackServerContext* context, const auth::JwtVerifier& verifier,
    VoteBatcher& votes, Response* response, CommandOf&& command_of,
    absl::StatusOr<Response> (*response_of)(const VoteCommand&, VoteResult)) {
  VoteCommand command;
  const grpc::Status refused = Serve(context, verifier, &command, command_of);
  if (!refused.ok()) return FinishNow(context, refused);
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  votes.Submit(command, [context, reactor, response, command,
                         response_of](VoteResult result) {
    reactor->Finish(api::RunDomain(kService, context, response, [&] {
      return response_of(command, std::move(result));
    }));
  });
  return reactor;
}

}  // namespace

RankingHandler::RankingHandler(RankingContext& context, VoteBatcher& votes,
                               Rebuilder& rebuilds,
                               const auth::JwtVerifier& verifier)
    : context_(context),
      votes_(votes),
      rebuilds_(rebuilds),
      verifier_(verifier) {}

grpc::ServerUnaryReactor* RankingHandler::CastVote(
    grpc::CallbackServerContext* context, const v1::CastVoteRequest* request,
    v1::CastVoteResponse* response) {
  return SubmitVote(
      context, verifier_, votes_, response,
      [&](const auth::Principal& caller) {
        return CastVoteCommand(context_, caller, *request);
      },
      &CastVoteResponseOf);
}

grpc::ServerUnaryReactor* RankingHandler::RetractVote(
    grpc::CallbackServerContext* context, const v1::RetractVoteRequest* request,
    v1::RetractVoteResponse* response) {
  return SubmitVote(
      context, verifier_, votes_, response,
      [&](const auth::Principal& caller) {
        return RetractVoteCommand(context_, caller, *request);
      },
      &RetractVoteResponseOf);
}

grpc::Status RankingHandler::ListVotes(grpc::ServerContext* context,
                                       const v1::ListVotesRequest* request,
                                       v1::ListVotesResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ranking::ListVotes(context_, caller, *request);
               });
}

grpc::ServerUnaryReactor* RankingHandler::GetTally(
    grpc::CallbackServerContext* context, const v1::GetTallyRequest* request,
    v1::Tally* response) {
  const grpc::Status status = ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetTally(context_, caller, *request);
      });
  return FinishNow(context, status);
}

grpc::ServerUnaryReactor* RankingHandler::BatchGetTallies(
    grpc::CallbackServerContext* context,
    const v1::BatchGetTalliesRequest* request,
    v1::BatchGetTalliesResponse* response) {
  const grpc::Status status = ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::BatchGetTallies(context_, caller, *request);
      });
  return FinishNow(context, status);
}

grpc::ServerUnaryReactor* RankingHandler::ListLeaderboard(
    grpc::CallbackServerContext* context,
    const v1::ListLeaderboardRequest* request,
    v1::ListLeaderboardResponse* response) {
  const grpc::Status status = ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::ListLeaderboard(context_, caller, *request);
      });
  return FinishNow(context, status);
}

grpc::ServerUnaryReactor* RankingHandler::GetRank(
    grpc::CallbackServerContext* context, const v1::GetRankRequest* request,
    v1::Rank* response) {
  const grpc::Status status = ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetRank(context_, caller, *request);
      });
  return FinishNow(context, status);
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
