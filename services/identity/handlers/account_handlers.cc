// IdentityHandler: sign-up, sessions and passwords.
#include "services/identity/domain/passwords.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/domain/sign_up.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::SignUp(grpc::ServerContext* context,
                                     const v1::SignUpRequest* request,
                                     v1::Member* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::SignUp(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::VerifyEmail(grpc::ServerContext* context,
                                          const v1::VerifyEmailRequest* request,
                                          v1::Session* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::VerifyEmail(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ResendVerificationEmail(
    grpc::ServerContext* context,
    const v1::ResendVerificationEmailRequest* request,
    google::protobuf::Empty* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::ResendVerificationEmail(context_, caller, call,
                                                 *request);
      });
}

grpc::Status IdentityHandler::Login(grpc::ServerContext* context,
                                    const v1::LoginRequest* request,
                                    v1::Session* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::Login(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::RefreshSession(
    grpc::ServerContext* context, const v1::RefreshSessionRequest* request,
    v1::Session* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::RefreshSession(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::Logout(grpc::ServerContext* context,
                                     const v1::LogoutRequest* request,
                                     google::protobuf::Empty* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::Logout(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::RevokeSessions(
    grpc::ServerContext* context, const v1::RevokeSessionsRequest* request,
    v1::RevokeSessionsResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::RevokeSessions(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::RequestPasswordReset(
    grpc::ServerContext* context,
    const v1::RequestPasswordResetRequest* request,
    google::protobuf::Empty* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::RequestPasswordReset(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ConfirmPasswordReset(
    grpc::ServerContext* context,
    const v1::ConfirmPasswordResetRequest* request,
    google::protobuf::Empty* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::ConfirmPasswordReset(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::ChangePassword(
    grpc::ServerContext* context, const v1::ChangePasswordRequest* request,
    google::protobuf::Empty* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::ChangePassword(context_, caller, *request);
               });
}

}  // namespace agora::identity
