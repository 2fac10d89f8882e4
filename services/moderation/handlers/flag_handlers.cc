#include "services/moderation/domain/flags.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/handlers/serve.h"

namespace agora::moderation {

grpc::Status ModerationHandler::CreateFlag(grpc::ServerContext* context,
                                           const v1::CreateFlagRequest* request,
                                           v1::Flag* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::CreateFlag(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ListFlags(grpc::ServerContext* context,
                                          const v1::ListFlagsRequest* request,
                                          v1::ListFlagsResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ListFlags(context_, caller, *request);
      });
}

}  // namespace agora::moderation
