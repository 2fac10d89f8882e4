// IdentityHandler: roles and trust.
#include "services/identity/domain/roles.h"
#include "services/identity/domain/trust.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::GrantRole(grpc::ServerContext* context,
                                        const v1::GrantRoleRequest* request,
                                        v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::GrantRole(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::RevokeRole(grpc::ServerContext* context,
                                         const v1::RevokeRoleRequest* request,
                                         v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::RevokeRole(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::ListRoleChanges(
    grpc::ServerContext* context, const v1::ListRoleChangesRequest* request,
    v1::ListRoleChangesResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::ListRoleChanges(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::SetTrustLevel(
    grpc::ServerContext* context, const v1::SetTrustLevelRequest* request,
    v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::SetTrustLevel(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::GetTrustPolicy(
    grpc::ServerContext* context, const v1::GetTrustPolicyRequest* request,
    v1::TrustPolicy* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::GetTrustPolicy(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::UpdateTrustPolicy(
    grpc::ServerContext* context, const v1::UpdateTrustPolicyRequest* request,
    v1::TrustPolicy* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::UpdateTrustPolicy(context_, caller, *request);
               });
}

}  // namespace agora::identity
