// Service accounts, their secrets and the client-credentials exchange:
// each method hands its request to the domain function of the same name
// (domain/service_accounts.h). IssueServiceAccountToken takes anonymous
// callers: the client secret authenticates.
#include "services/identity/domain/service_accounts.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::CreateServiceAccount(
    grpc::ServerContext* context,
    const v1::CreateServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::CreateServiceAccount(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::GetServiceAccount(
    grpc::ServerContext* context, const v1::GetServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  return Serve(
      context, verifier_, response, [&](const auth::Principal& caller) {
        return ::agora::identity::GetServiceAccount(context_, caller, *request);
      });
}

grpc::Status IdentityHandler::ListServiceAccounts(
    grpc::ServerContext* context, const v1::ListServiceAccountsRequest* request,
    v1::ListServiceAccountsResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::ListServiceAccounts(context_, caller,
                                                               *request);
               });
}

grpc::Status IdentityHandler::UpdateServiceAccount(
    grpc::ServerContext* context,
    const v1::UpdateServiceAccountRequest* request,
    v1::ServiceAccount* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::UpdateServiceAccount(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::DeleteServiceAccount(
    grpc::ServerContext* context,
    const v1::DeleteServiceAccountRequest* request,
    google::protobuf::Empty* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::DeleteServiceAccount(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::CreateServiceAccountSecret(
    grpc::ServerContext* context,
    const v1::CreateServiceAccountSecretRequest* request,
    v1::ServiceAccountSecret* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::CreateServiceAccountSecret(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::ListServiceAccountSecrets(
    grpc::ServerContext* context,
    const v1::ListServiceAccountSecretsRequest* request,
    v1::ListServiceAccountSecretsResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::ListServiceAccountSecrets(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::DeleteServiceAccountSecret(
    grpc::ServerContext* context,
    const v1::DeleteServiceAccountSecretRequest* request,
    google::protobuf::Empty* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return ::agora::identity::DeleteServiceAccountSecret(
                     context_, caller, *request);
               });
}

grpc::Status IdentityHandler::IssueServiceAccountToken(
    grpc::ServerContext* context,
    const v1::IssueServiceAccountTokenRequest* request,
    v1::ServiceAccountToken* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return ::agora::identity::IssueServiceAccountToken(context_, caller,
                                                           call, *request);
      });
}

}  // namespace agora::identity
