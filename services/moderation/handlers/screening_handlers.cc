#include "services/moderation/domain/screening.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/handlers/serve.h"

namespace agora::moderation {

grpc::Status ModerationHandler::Screen(grpc::ServerContext* context,
                                       const v1::ScreenRequest* request,
                                       v1::Screening* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ScreenPost(context_, caller, *request);
      });
}

}  // namespace agora::moderation
