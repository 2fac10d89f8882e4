// Identity providers: each method hands its request to the domain function
// of the same name (domain/identity_providers.h).
#include "services/identity/domain/identity_providers.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::ListIdentityProviders(
    grpc::ServerContext* context,
    const v1::ListIdentityProvidersRequest* request,
    v1::ListIdentityProvidersResponse* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return ::agora::identity::ListIdentityProviders(context_, caller, call,
                                                        *request);
      });
}

grpc::Status IdentityHandler::GetIdentityProvider(
    grpc::ServerContext* context, const v1::GetIdentityProviderRequest* request,
    v1::IdentityProvider* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::GetIdentityProvider(context_, caller,
                                                               *request);
               });
}

grpc::Status IdentityHandler::CreateIdentityProvider(
    grpc::ServerContext* context,
    const v1::CreateIdentityProviderRequest* request,
    v1::IdentityProvider* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::CreateIdentityProvider(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::UpdateIdentityProvider(
    grpc::ServerContext* context,
    const v1::UpdateIdentityProviderRequest* request,
    v1::IdentityProvider* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::UpdateIdentityProvider(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::DeleteIdentityProvider(
    grpc::ServerContext* context,
    const v1::DeleteIdentityProviderRequest* request,
    google::protobuf::Empty* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::DeleteIdentityProvider(
                     context_, caller, *request);
               });
}

}  // namespace agora::identity
