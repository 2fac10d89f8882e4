#include "services/moderation/domain/review_queue.h"
#include "services/moderation/handlers/moderation_handler.h"
#include "services/moderation/handlers/serve.h"

namespace agora::moderation {

grpc::Status ModerationHandler::ListQueueItems(
    grpc::ServerContext* context, const v1::ListQueueItemsRequest* request,
    v1::ListQueueItemsResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ListQueueItems(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::GetQueueItem(
    grpc::ServerContext* context, const v1::GetQueueItemRequest* request,
    v1::QueueItem* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::GetQueueItem(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ClaimQueueItem(
    grpc::ServerContext* context, const v1::ClaimQueueItemRequest* request,
    v1::QueueItem* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::ClaimQueueItem(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::ClaimNextQueueItem(
    grpc::ServerContext* context, const v1::ClaimNextQueueItemRequest* request,
    v1::QueueItem* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::ClaimNextQueueItem(
                     context_, caller, *request);
               });
}

grpc::Status ModerationHandler::ReleaseQueueItem(
    grpc::ServerContext* context, const v1::ReleaseQueueItemRequest* request,
    v1::QueueItem* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::ReleaseQueueItem(context_, caller,
                                                              *request);
               });
}

grpc::Status ModerationHandler::Decide(grpc::ServerContext* context,
                                       const v1::DecideRequest* request,
                                       v1::Decision* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::moderation::DecideQueueItem(context_, caller, *request);
      });
}

grpc::Status ModerationHandler::BatchDecide(
    grpc::ServerContext* context, const v1::BatchDecideRequest* request,
    v1::BatchDecideResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::moderation::BatchDecideQueueItems(
                     context_, caller, *request);
               });
}

}  // namespace agora::moderation
