#include "services/share/handlers/share_handler.h"

#include "libs/api/serve.h"
#include "services/share/domain/previews.h"
#include "services/share/domain/resolve.h"
#include "services/share/domain/settings.h"
#include "services/share/domain/share_links.h"
#include "services/share/domain/share_stats.h"

namespace agora::share {
namespace {

constexpr char kService[] = "share";

}  // namespace

grpc::Status ShareHandler::CreateShareLinks(
    grpc::ServerContext* context, const v1::CreateShareLinksRequest* request,
    v1::CreateShareLinksResponse* response) {
  return api::ServeOptional(kService, context, verifier_, response,
                            [&](const auth::Principal* caller) {
                              return share::CreateShareLinks(context_, caller,
                                                             *request);
                            });
}

grpc::Status ShareHandler::GetShortLink(grpc::ServerContext* context,
                                        const v1::GetShortLinkRequest* request,
                                        v1::ShortLink* response) {
  return api::Serve(kService, context, verifier_, response,
                    [&](const auth::Principal& caller) {
                      return share::GetShortLink(context_, caller, *request);
                    });
}

grpc::Status ShareHandler::ListShortLinks(
    grpc::ServerContext* context, const v1::ListShortLinksRequest* request,
    v1::ListShortLinksResponse* response) {
  return api::Serve(kService, context, verifier_, response,
                    [&](const auth::Principal& caller) {
                      return share::ListShortLinks(context_, caller, *request);
                    });
}

grpc::ServerUnaryReactor* ShareHandler::ResolveShortLink(
    grpc::CallbackServerContext* context,
    const v1::ResolveShortLinkRequest* request,
    v1::ResolveShortLinkResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(api::Serve(kService, context, verifier_, response,
                             [&](const auth::Principal& caller) {
                               return share::ResolveShortLink(context_, caller,
                                                              *request);
                             }));
  return reactor;
}

grpc::Status ShareHandler::GetShareStats(
    grpc::ServerContext* context, const v1::GetShareStatsRequest* request,
    v1::ShareStats* response) {
  return api::ServeOptional(kService, context, verifier_, response,
                            [&](const auth::Principal* caller) {
                              return share::GetShareStats(context_, caller,
                                                          *request);
                            });
}

grpc::Status ShareHandler::GetPreview(grpc::ServerContext* context,
                                      const v1::GetPreviewRequest* request,
                                      v1::Preview* response) {
  return api::ServeOptional(kService, context, verifier_, response,
                            [&](const auth::Principal* caller) {
                              return share::GetPreview(context_, caller,
                                                       *request);
                            });
}

grpc::Status ShareHandler::GetShareSettings(
    grpc::ServerContext* context, const v1::GetShareSettingsRequest* request,
    v1::ShareSettings* response) {
  return api::ServeOptional(kService, context, verifier_, response,
                            [&](const auth::Principal* caller) {
                              return share::GetShareSettings(context_, caller,
                                                             *request);
                            });
}

grpc::Status ShareHandler::UpdateShareSettings(
    grpc::ServerContext* context, const v1::UpdateShareSettingsRequest* request,
    v1::ShareSettings* response) {
  return api::Serve(kService, context, verifier_, response,
                    [&](const auth::Principal& caller) {
                      return share::UpdateShareSettings(context_, caller,
                                                        *request);
                    });
}

grpc::Status ShareHandler::ExportMemberData(
    grpc::ServerContext* context, const v1::ExportMemberDataRequest* request,
    v1::MemberShareData* response) {
  return api::Serve(kService, context, verifier_, response,
                    [&](const auth::Principal& caller) {
                      return share::ExportMemberData(context_, caller,
                                                     *request);
                    });
}

}  // namespace agora::share
