// The admin surface of the moderation service: rules, policy, audit log,
// SLA report, member export. Each method maps the request to its domain
// function (domain/rules_admin.h, policy_admin.h, audit_admin.h,
// sla_report.h, member_export.h) through Serve.
#include "services/moderation/domain/audit_admin.h"
#include "services/moderation/domain/member_export.h"
#include "services/moderation/domain/policy_admin.h"
#include "services/moderation/domain/rules_admin.h"
#include "services/moderation/domain/sla_report.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/handlers/serve.h"

namespace agora::moderation {

grpc::Status ModerationHandler::CreateRule(grpc::ServerContext* context,
                                           const v1::CreateRuleRequest* request,
                                           v1::Rule* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::CreateRule(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::GetRule(grpc::ServerContext* context,
                                        const v1::GetRuleRequest* request,
                                        v1::Rule* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::GetRule(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ListRules(grpc::ServerContext* context,
                                          const v1::ListRulesRequest* request,
                                          v1::ListRulesResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ListRules(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::UpdateRule(grpc::ServerContext* context,
                                           const v1::UpdateRuleRequest* request,
                                           v1::Rule* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::UpdateRule(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::DeleteRule(grpc::ServerContext* context,
                                           const v1::DeleteRuleRequest* request,
                                           google::protobuf::Empty* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::DeleteRule(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::GetModerationPolicy(
    grpc::ServerContext* context, const v1::GetModerationPolicyRequest* request,
    v1::ModerationPolicy* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::GetModerationPolicy(
                     context_, caller, *request);
               });
}

grpc::Status ModerationHandler::UpdateModerationPolicy(
    grpc::ServerContext* context,
    const v1::UpdateModerationPolicyRequest* request,
    v1::ModerationPolicy* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::UpdateModerationPolicy(
                     context_, caller, *request);
               });
}

grpc::Status ModerationHandler::ListAuditEntries(
    grpc::ServerContext* context, const v1::ListAuditEntriesRequest* request,
    v1::ListAuditEntriesResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::ListAuditEntries(context_, caller,
                                                              *request);
               });
}

grpc::Status ModerationHandler::VerifyAuditLog(
    grpc::ServerContext* context, const v1::VerifyAuditLogRequest* request,
    v1::AuditVerification* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::VerifyAuditLog(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::GetSlaReport(
    grpc::ServerContext* context, const v1::GetSlaReportRequest* request,
    v1::SlaReport* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::GetSlaReport(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ExportMemberData(
    grpc::ServerContext* context, const v1::ExportMemberDataRequest* request,
    v1::MemberModerationData* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::ExportMemberData(context_, caller,
                                                              *request);
               });
}

}  // namespace agora::moderation
