// IdentityHandler: social sign-in and linked identities.
#include "services/identity/domain/social_login.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::StartSocialLogin(
    grpc::ServerContext* context, const v1::StartSocialLoginRequest* request,
    v1::StartSocialLoginResponse* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::StartSocialLogin(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::FinishSocialLogin(
    grpc::ServerContext* context, const v1::FinishSocialLoginRequest* request,
    v1::FinishSocialLoginResponse* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::FinishSocialLogin(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ConfirmAccountLink(
    grpc::ServerContext* context, const v1::ConfirmAccountLinkRequest* request,
    v1::Session* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::ConfirmAccountLink(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ListExternalIdentities(
    grpc::ServerContext* context,
    const v1::ListExternalIdentitiesRequest* request,
    v1::ListExternalIdentitiesResponse* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return identity::ListExternalIdentities(context_, caller, *request);
      });
}

grpc::Status IdentityHandler::DeleteExternalIdentity(
    grpc::ServerContext* context,
    const v1::DeleteExternalIdentityRequest* request,
    google::protobuf::Empty* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return identity::DeleteExternalIdentity(context_, caller, *request);
      });
}

}  // namespace agora::identity
