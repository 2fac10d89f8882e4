// Reputation RPCs and the GDPR export (filled in with the reputation
// engine; until then they answer UNIMPLEMENTED).
#include "services/ranking/handlers/ranking_handler.h"

namespace agora::ranking {
namespace {

grpc::Status NotYet() {
  return grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                      "reputation is not served yet by this version");
}

}  // namespace

grpc::Status RankingHandler::GetReputation(grpc::ServerContext*,
                                           const v1::GetReputationRequest*,
                                           v1::Reputation*) {
  return NotYet();
}

grpc::Status RankingHandler::ListReputationEvents(
    grpc::ServerContext*, const v1::ListReputationEventsRequest*,
    v1::ListReputationEventsResponse*) {
  return NotYet();
}

grpc::Status RankingHandler::GetReputationPolicy(
    grpc::ServerContext*, const v1::GetReputationPolicyRequest*,
    v1::ReputationPolicy*) {
  return NotYet();
}

grpc::Status RankingHandler::UpdateReputationPolicy(
    grpc::ServerContext*, const v1::UpdateReputationPolicyRequest*,
    v1::ReputationPolicy*) {
  return NotYet();
}

grpc::Status RankingHandler::ExportMemberData(
    grpc::ServerContext*, const v1::ExportMemberDataRequest*,
    v1::MemberRankingData*) {
  return NotYet();
}

}  // namespace agora::ranking
