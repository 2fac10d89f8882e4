// Tenants and the JWKS: each method hands its request to the domain
// function of the same name (domain/tenants.h, domain/jwks.h).
#include "services/identity/domain/jwks.h"
#include "services/identity/domain/tenants.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::CreateTenant(
    grpc::ServerContext* context, const v1::CreateTenantRequest* request,
    v1::Tenant* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::identity::CreateTenant(context_, caller, *request);
      });
}

grpc::Status IdentityHandler::GetTenant(grpc::ServerContext* context,
                                        const v1::GetTenantRequest* request,
                                        v1::Tenant* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return ::agora::identity::GetTenant(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ListTenants(grpc::ServerContext* context,
                                          const v1::ListTenantsRequest* request,
                                          v1::ListTenantsResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::identity::ListTenants(context_, caller, *request);
      });
}

grpc::Status IdentityHandler::UpdateTenant(
    grpc::ServerContext* context, const v1::UpdateTenantRequest* request,
    v1::Tenant* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::identity::UpdateTenant(context_, caller, *request);
      });
}

grpc::Status IdentityHandler::GetJwks(grpc::ServerContext* context,
                                      const v1::GetJwksRequest* request,
                                      v1::Jwks* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return ::agora::identity::GetJwks(context_, caller, call, *request);
      });
}

}  // namespace agora::identity
