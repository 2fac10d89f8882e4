// The gRPC face of the moderation service: each method authenticates the
// caller and hands the request to the domain function of the same name
// (domain/*.h); nothing else happens here. The methods are defined in one
// file per area: screening_handlers.cc, queue_handlers.cc,
// flag_handlers.cc, appeal_handlers.cc, admin_handlers.cc.
#ifndef AGORA_SERVICES_MODERATION_HANDLERS_MODERATION_HANDLER_H_
#define AGORA_SERVICES_MODERATION_HANDLERS_MODERATION_HANDLER_H_

#include "agora/moderation/v1/moderation.grpc.pb.h"
#include "libs/auth/jwt_verifier.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

class ModerationHandler final
    : public agora::moderation::v1::ModerationService::Service {
 public:
  ModerationHandler(ModerationContext& context,
                    const auth::JwtVerifier& verifier)
      : context_(context), verifier_(verifier) {}

  grpc::Status Screen(grpc::ServerContext* context,
                      const v1::ScreenRequest* request,
                      v1::Screening* response) override;
  grpc::Status ListQueueItems(grpc::ServerContext* context,
                              const v1::ListQueueItemsRequest* request,
                              v1::ListQueueItemsResponse* response) override;
  grpc::Status GetQueueItem(grpc::ServerContext* context,
                            const v1::GetQueueItemRequest* request,
                            v1::QueueItem* response) override;
  grpc::Status ClaimQueueItem(grpc::ServerContext* context,
                              const v1::ClaimQueueItemRequest* request,
                              v1::QueueItem* response) override;
  grpc::Status ClaimNextQueueItem(grpc::ServerContext* context,
                                  const v1::ClaimNextQueueItemRequest* request,
                                  v1::QueueItem* response) override;
  grpc::Status ReleaseQueueItem(grpc::ServerContext* context,
                                const v1::ReleaseQueueItemRequest* request,
                                v1::QueueItem* response) override;
  grpc::Status Decide(grpc::ServerContext* context,
                      const v1::DecideRequest* request,
                      v1::Decision* response) override;
  grpc::Status BatchDecide(grpc::ServerContext* context,
                           const v1::BatchDecideRequest* request,
                           v1::BatchDecideResponse* response) override;
  grpc::Status CreateFlag(grpc::ServerContext* context,
                          const v1::CreateFlagRequest* request,
                          v1::Flag* response) override;
  grpc::Status ListFlags(grpc::ServerContext* context,
                         const v1::ListFlagsRequest* request,
                         v1::ListFlagsResponse* response) override;
  grpc::Status CreateAppeal(grpc::ServerContext* context,
                            const v1::CreateAppealRequest* request,
                            v1::Appeal* response) override;
  grpc::Status GetAppeal(grpc::ServerContext* context,
                         const v1::GetAppealRequest* request,
                         v1::Appeal* response) override;
  grpc::Status ListAppeals(grpc::ServerContext* context,
                           const v1::ListAppealsRequest* request,
                           v1::ListAppealsResponse* response) override;
  grpc::Status DecideAppeal(grpc::ServerContext* context,
                            const v1::DecideAppealRequest* request,
                            v1::Appeal* response) override;
  grpc::Status CreateRule(grpc::ServerContext* context,
                          const v1::CreateRuleRequest* request,
                          v1::Rule* response) override;
  grpc::Status GetRule(grpc::ServerContext* context,
                       const v1::GetRuleRequest* request,
                       v1::Rule* response) override;
  grpc::Status ListRules(grpc::ServerContext* context,
                         const v1::ListRulesRequest* request,
                         v1::ListRulesResponse* response) override;
  grpc::Status UpdateRule(grpc::ServerContext* context,
                          const v1::UpdateRuleRequest* request,
                          v1::Rule* response) override;
  grpc::Status DeleteRule(grpc::ServerContext* context,
                          const v1::DeleteRuleRequest* request,
                          google::protobuf::Empty* response) override;
  grpc::Status GetModerationPolicy(
      grpc::ServerContext* context,
      const v1::GetModerationPolicyRequest* request,
      v1::ModerationPolicy* response) override;
  grpc::Status UpdateModerationPolicy(
      grpc::ServerContext* context,
      const v1::UpdateModerationPolicyRequest* request,
      v1::ModerationPolicy* response) override;
  grpc::Status ListAuditEntries(
      grpc::ServerContext* context, const v1::ListAuditEntriesRequest* request,
      v1::ListAuditEntriesResponse* response) override;
  grpc::Status VerifyAuditLog(grpc::ServerContext* context,
                              const v1::VerifyAuditLogRequest* request,
                              v1::AuditVerification* response) override;
  grpc::Status GetSlaReport(grpc::ServerContext* context,
                            const v1::GetSlaReportRequest* request,
                            v1::SlaReport* response) override;
  grpc::Status ExportMemberData(grpc::ServerContext* context,
                                const v1::ExportMemberDataRequest* request,
                                v1::MemberModerationData* response) override;

 private:
  ModerationContext& context_;
  const auth::JwtVerifier& verifier_;
};

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_HANDLERS_MODERATION_HANDLER_H_
