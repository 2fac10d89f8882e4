// IdentityHandler: members and profiles.
#include "services/identity/domain/members.h"
#include "services/identity/domain/profiles.h"
#include "services/identity/handlers/identity_handler.h"
#include "services/identity/handlers/serve.h"

namespace agora::identity {

grpc::Status IdentityHandler::GetMember(grpc::ServerContext* context,
                                        const v1::GetMemberRequest* request,
                                        v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::GetMember(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::ListMembers(grpc::ServerContext* context,
                                          const v1::ListMembersRequest* request,
                                          v1::ListMembersResponse* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::ListMembers(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::SuspendMember(
    grpc::ServerContext* context, const v1::SuspendMemberRequest* request,
    v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::SuspendMember(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::ReinstateMember(
    grpc::ServerContext* context, const v1::ReinstateMemberRequest* request,
    v1::Member* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::ReinstateMember(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::GetProfile(grpc::ServerContext* context,
                                         const v1::GetProfileRequest* request,
                                         v1::Profile* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::GetProfile(context_, caller, call, *request);
      });
}

grpc::Status IdentityHandler::UpdateProfile(
    grpc::ServerContext* context, const v1::UpdateProfileRequest* request,
    v1::Profile* response) {
  return Serve(context, verifier_, response,
               [&](const auth::Principal& caller) {
                 return identity::UpdateProfile(context_, caller, *request);
               });
}

grpc::Status IdentityHandler::CheckDisplayName(
    grpc::ServerContext* context, const v1::CheckDisplayNameRequest* request,
    v1::CheckDisplayNameResponse* response) {
  return ServeOptional(
      context, verifier_, response,
      [&](const auth::Principal* caller, const CallInfo& call) {
        return identity::CheckDisplayName(context_, caller, call, *request);
      });
}

}  // namespace agora::identity
