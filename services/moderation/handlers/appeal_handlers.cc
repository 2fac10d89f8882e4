#include "services/moderation/domain/appeals.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/handlers/serve.h"

namespace agora::moderation {

grpc::Status ModerationHandler::CreateAppeal(
    grpc::ServerContext* context, const v1::CreateAppealRequest* request,
    v1::Appeal* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::CreateAppeal(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::GetAppeal(grpc::ServerContext* context,
                                          const v1::GetAppealRequest* request,
                                          v1::Appeal* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::GetAppeal(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ListAppeals(
    grpc::ServerContext* context, const v1::ListAppealsRequest* request,
    v1::ListAppealsResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ListAppeals(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::DecideAppeal(
    grpc::ServerContext* context, const v1::DecideAppealRequest* request,
    v1::Appeal* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::DecideAppeal(context_, caller, *request);
      });
}

}  // namespace agora::moderation
