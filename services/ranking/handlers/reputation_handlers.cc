// Reputation RPCs and the GDPR export: protobuf in, the domain
// (domain/reputation.h, domain/member_export.h), statuses out.
#include "services/ranking/domain/member_export.h"
#include "services/ranking/domain/reputation.h"
#include "services/ranking/handlers/ranking_handler.h"
#include "services/ranking/handlers/serve.h"

namespace agora::ranking {

grpc::Status RankingHandler::GetReputation(
    grpc::ServerContext* context, const v1::GetReputationRequest* request,
    v1::Reputation* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetReputation(context_, caller, *request);
      });
}

grpc::Status RankingHandler::ListReputationEvents(
    grpc::ServerContext* context,
    const v1::ListReputationEventsRequest* request,
    v1::ListReputationEventsResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ranking::ListReputationEvents(context_, caller, *request);
      });
}

grpc::Status RankingHandler::GetReputationPolicy(
    grpc::ServerContext* context, const v1::GetReputationPolicyRequest* request,
    v1::ReputationPolicy* response) {
  return ServeOptional(
      context, verifier_, response, [&](const auth::Principal* caller) {
        return ranking::GetReputationPolicy(context_, caller, *request);
      });
}

grpc::Status RankingHandler::UpdateReputationPolicy(
    grpc::ServerContext* context,
    const v1::UpdateReputationPolicyRequest* request,
    v1::ReputationPolicy* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ranking::UpdateReputationPolicy(context_, caller, *request);
      });
}

grpc::Status RankingHandler::ExportMemberData(
    grpc::ServerContext* context, const v1::ExportMemberDataRequest* request,
    v1::MemberRankingData* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ranking::ExportMemberData(context_, caller, *request);
               });
}

}  // namespace agora::ranking
