// agora.share.v1.ShareService over gRPC: each method authenticates through
// the shared handler shape (libs/api/serve.h) and forwards to the domain,
// which checks tenant, role and scope itself.
#ifndef AGORA_SERVICES_SHARE_HANDLERS_SHARE_HANDLER_H_
#define AGORA_SERVICES_SHARE_HANDLERS_SHARE_HANDLER_H_

#include "agora/share/v1/share.grpc.pb.h"
#include "libs/auth/jwt_verifier.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

// ResolveShortLink, the hot path (every `/s/{code}` of the gateway), uses
// gRPC's callback API: it runs on the thread that read the request instead
// of being handed to a worker of the synchronous pool, which saves two
// thread switches per call (measured: bench/RESULTS.md § Share). The other
// methods stay synchronous.
class ShareHandler final
    : public v1::ShareService::WithCallbackMethod_ResolveShortLink<
          v1::ShareService::Service> {
 public:
  ShareHandler(ShareContext& context, const auth::JwtVerifier& verifier)
      : context_(context), verifier_(verifier) {}

  grpc::Status CreateShareLinks(
      grpc::ServerContext* context, const v1::CreateShareLinksRequest* request,
      v1::CreateShareLinksResponse* response) override;
  grpc::Status GetShortLink(grpc::ServerContext* context,
                            const v1::GetShortLinkRequest* request,
                            v1::ShortLink* response) override;
  grpc::Status ListShortLinks(grpc::ServerContext* context,
                              const v1::ListShortLinksRequest* request,
                              v1::ListShortLinksResponse* response) override;
  grpc::ServerUnaryReactor* ResolveShortLink(
      grpc::CallbackServerContext* context,
      const v1::ResolveShortLinkRequest* request,
      v1::ResolveShortLinkResponse* response) override;
  grpc::Status GetShareStats(grpc::ServerContext* context,
                             const v1::GetShareStatsRequest* request,
                             v1::ShareStats* response) override;
  grpc::Status GetPreview(grpc::ServerContext* context,
                          const v1::GetPreviewRequest* request,
                          v1::Preview* response) override;
  grpc::Status GetShareSettings(grpc::ServerContext* context,
                                const v1::GetShareSettingsRequest* request,
                                v1::ShareSettings* response) override;
  grpc::Status UpdateShareSettings(
      grpc::ServerContext* context,
      const v1::UpdateShareSettingsRequest* request,
      v1::ShareSettings* response) override;
  grpc::Status ExportMemberData(grpc::ServerContext* context,
                                const v1::ExportMemberDataRequest* request,
                                v1::MemberShareData* response) override;

 private:
  ShareContext& context_;
  const auth::JwtVerifier& verifier_;
};

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_HANDLERS_SHARE_HANDLER_H_
