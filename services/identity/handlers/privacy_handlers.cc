// IdentityHandler: privacy.
#include "services/identity/domain/privacy.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::ExportMemberData(
    grpc::ServerContext* context, const v1::ExportMemberDataRequest* request,
    v1::MemberIdentityData* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::ExportMemberData(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::EraseMember(grpc::ServerContext* context,
                                          const v1::EraseMemberRequest* request,
                                          v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::EraseMember(context_, caller, *request);
               });
}

}  // namespace agora::identity
