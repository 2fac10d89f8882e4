// The gRPC face of the identity service: each method authenticates the
// caller (or accepts anonymous callers where the contract says so) and
// hands the request to the domain function of the same name (domain/*.h);
// nothing else happens here. The methods are defined in one file per area:
// tenant_handlers.cc, account_handlers.cc, member_handlers.cc,
// role_handlers.cc, provider_handlers.cc, social_handlers.cc,
// service_account_handlers.cc, privacy_handlers.cc.
#ifndef AGORA_SERVICES_IDENTITY_HANDLERS_IDENTITY_HANDLER_H_
#define AGORA_SERVICES_IDENTITY_HANDLERS_IDENTITY_HANDLER_H_

#include <google/protobuf/empty.pb.h>
#include <grpcpp/server_context.h>

#include "agora/identity/v1/identity.grpc.pb.h"
#include "libs/auth/jwt_verifier.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

class IdentityHandler final : public v1::IdentityService::Service {
 public:
  IdentityHandler(IdentityContext& context, const auth::JwtVerifier& verifier)
      : context_(context), verifier_(verifier) {}

  grpc::Status CreateTenant(grpc::ServerContext* context,
                            const v1::CreateTenantRequest* request,
                            v1::Tenant* response) override;
  grpc::Status GetTenant(grpc::ServerContext* context,
                         const v1::GetTenantRequest* request,
                         v1::Tenant* response) override;
  grpc::Status ListTenants(grpc::ServerContext* context,
                           const v1::ListTenantsRequest* request,
                           v1::ListTenantsResponse* response) override;
  grpc::Status UpdateTenant(grpc::ServerContext* context,
                            const v1::UpdateTenantRequest* request,
                            v1::Tenant* response) override;
  grpc::Status SignUp(grpc::ServerContext* context,
                      const v1::SignUpRequest* request,
                      v1::Member* response) override;
  grpc::Status VerifyEmail(grpc::ServerContext* context,
                           const v1::VerifyEmailRequest* request,
                           v1::Session* response) override;
  grpc::Status ResendVerificationEmail(
      grpc::ServerContext* context,
      const v1::ResendVerificationEmailRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status Login(grpc::ServerContext* context,
                     const v1::LoginRequest* request,
                     v1::Session* response) override;
  grpc::Status RefreshSession(grpc::ServerContext* context,
                              const v1::RefreshSessionRequest* request,
                              v1::Session* response) override;
  grpc::Status Logout(grpc::ServerContext* context,
                      const v1::LogoutRequest* request,
                      google::protobuf::Empty* response) override;
  grpc::Status RevokeSessions(grpc::ServerContext* context,
                              const v1::RevokeSessionsRequest* request,
                              v1::RevokeSessionsResponse* response) override;
  grpc::Status RequestPasswordReset(
      grpc::ServerContext* context,
      const v1::RequestPasswordResetRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status ConfirmPasswordReset(
      grpc::ServerContext* context,
      const v1::ConfirmPasswordResetRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status ChangePassword(grpc::ServerContext* context,
                              const v1::ChangePasswordRequest* request,
                              google::protobuf::Empty* response) override;
  grpc::Status GetMember(grpc::ServerContext* context,
                         const v1::GetMemberRequest* request,
                         v1::Member* response) override;
  grpc::Status ListMembers(grpc::ServerContext* context,
                           const v1::ListMembersRequest* request,
                           v1::ListMembersResponse* response) override;
  grpc::Status SuspendMember(grpc::ServerContext* context,
                             const v1::SuspendMemberRequest* request,
                             v1::Member* response) override;
  grpc::Status ReinstateMember(grpc::ServerContext* context,
                               const v1::ReinstateMemberRequest* request,
                               v1::Member* response) override;
  grpc::Status GetProfile(grpc::ServerContext* context,
                          const v1::GetProfileRequest* request,
                          v1::Profile* response) override;
  grpc::Status UpdateProfile(grpc::ServerContext* context,
                             const v1::UpdateProfileRequest* request,
                             v1::Profile* response) override;
  grpc::Status CheckDisplayName(
      grpc::ServerContext* context, const v1::CheckDisplayNameRequest* request,
      v1::CheckDisplayNameResponse* response) override;
  grpc::Status GrantRole(grpc::ServerContext* context,
                         const v1::GrantRoleRequest* request,
                         v1::Member* response) override;
  grpc::Status RevokeRole(grpc::ServerContext* context,
                          const v1::RevokeRoleRequest* request,
                          v1::Member* response) override;
  grpc::Status ListRoleChanges(grpc::ServerContext* context,
                               const v1::ListRoleChangesRequest* request,
                               v1::ListRoleChangesResponse* response) override;
  grpc::Status SetTrustLevel(grpc::ServerContext* context,
                             const v1::SetTrustLevelRequest* request,
                             v1::Member* response) override;
  grpc::Status GetTrustPolicy(grpc::ServerContext* context,
                              const v1::GetTrustPolicyRequest* request,
                              v1::TrustPolicy* response) override;
  grpc::Status UpdateTrustPolicy(grpc::ServerContext* context,
                                 const v1::UpdateTrustPolicyRequest* request,
                                 v1::TrustPolicy* response) override;
  grpc::Status ListIdentityProviders(
      grpc::ServerContext* context,
      const v1::ListIdentityProvidersRequest* request,
      v1::ListIdentityProvidersResponse* response) override;
  grpc::Status GetIdentityProvider(
      grpc::ServerContext* context,
      const v1::GetIdentityProviderRequest* request,
      v1::IdentityProvider* response) override;
  grpc::Status CreateIdentityProvider(
      grpc::ServerContext* context,
      const v1::CreateIdentityProviderRequest* request,
      v1::IdentityProvider* response) override;
  grpc::Status UpdateIdentityProvider(
      grpc::ServerContext* context,
      const v1::UpdateIdentityProviderRequest* request,
      v1::IdentityProvider* response) override;
  grpc::Status DeleteIdentityProvider(
      grpc::ServerContext* context,
      const v1::DeleteIdentityProviderRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status StartSocialLogin(
      grpc::ServerContext* context, const v1::StartSocialLoginRequest* request,
      v1::StartSocialLoginResponse* response) override;
  grpc::Status FinishSocialLogin(
      grpc::ServerContext* context, const v1::FinishSocialLoginRequest* request,
      v1::FinishSocialLoginResponse* response) override;
  grpc::Status ConfirmAccountLink(grpc::ServerContext* context,
                                  const v1::ConfirmAccountLinkRequest* request,
                                  v1::Session* response) override;
  grpc::Status ListExternalIdentities(
      grpc::ServerContext* context,
      const v1::ListExternalIdentitiesRequest* request,
      v1::ListExternalIdentitiesResponse* response) override;
  grpc::Status DeleteExternalIdentity(
      grpc::ServerContext* context,
      const v1::DeleteExternalIdentityRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status GetJwks(grpc::ServerContext* context,
                       const v1::GetJwksRequest* request,
                       v1::Jwks* response) override;
  grpc::Status CreateServiceAccount(
      grpc::ServerContext* context,
      const v1::CreateServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status GetServiceAccount(grpc::ServerContext* context,
                                 const v1::GetServiceAccountRequest* request,
                                 v1::ServiceAccount* response) override;
  grpc::Status ListServiceAccounts(
      grpc::ServerContext* context,
      const v1::ListServiceAccountsRequest* request,
      v1::ListServiceAccountsResponse* response) override;
  grpc::Status UpdateServiceAccount(
      grpc::ServerContext* context,
      const v1::UpdateServiceAccountRequest* request,
      v1::ServiceAccount* response) override;
  grpc::Status DeleteServiceAccount(
      grpc::ServerContext* context,
      const v1::DeleteServiceAccountRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status CreateServiceAccountSecret(
      grpc::ServerContext* context,
      const v1::CreateServiceAccountSecretRequest* request,
      v1::ServiceAccountSecret* response) override;
  grpc::Status ListServiceAccountSecrets(
      grpc::ServerContext* context,
      const v1::ListServiceAccountSecretsRequest* request,
      v1::ListServiceAccountSecretsResponse* response) override;
  grpc::Status DeleteServiceAccountSecret(
      grpc::ServerContext* context,
      const v1::DeleteServiceAccountSecretRequest* request,
      google::protobuf::Empty* response) override;
  grpc::Status IssueServiceAccountToken(
      grpc::ServerContext* context,
      const v1::IssueServiceAccountTokenRequest* request,
      v1::ServiceAccountToken* response) override;
  grpc::Status ExportMemberData(grpc::ServerContext* context,
                                const v1::ExportMemberDataRequest* request,
                                v1::MemberIdentityData* response) override;
  grpc::Status EraseMember(grpc::ServerContext* context,
                           const v1::EraseMemberRequest* request,
                           v1::Member* response) override;

 private:
  IdentityContext& context_;
  const auth::JwtVerifier& verifier_;
};

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_HANDLERS_IDENTITY_HANDLER_H_
