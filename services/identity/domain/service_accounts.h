// Service accounts: how bank systems (tenant-scoped accounts) and Agora's
// own services (platform-wide accounts) call Agora. Tenant admins manage
// their tenant's accounts, platform admins every account. A client secret
// is shown once at creation and kept as its SHA-256; an account has at most
// 5, so that a secret can be rotated without downtime. The client-
// credentials exchange (IssueServiceAccountToken) is anonymous: the secret
// authenticates, throttled like a password.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SERVICE_ACCOUNTS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SERVICE_ACCOUNTS_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

inline constexpr int kMaxSecretsPerAccount = 5;
// Characters of a client secret (48 random bytes in base64url).
inline constexpr int kClientSecretLength = 64;

// True for the scopes of v1 (the ServiceAccount message's comment).
bool IsKnownScope(absl::string_view scope);

// Display name, description, scopes and state; messages name
// `service_account.<field>`.
absl::Status ValidateServiceAccountSettings(const v1::ServiceAccount& account);

absl::StatusOr<v1::ServiceAccount> CreateServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateServiceAccountRequest& request);

absl::StatusOr<v1::ServiceAccount> GetServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetServiceAccountRequest& request);

absl::StatusOr<v1::ListServiceAccountsResponse> ListServiceAccounts(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListServiceAccountsRequest& request);

absl::StatusOr<v1::ServiceAccount> UpdateServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateServiceAccountRequest& request);

absl::StatusOr<google::protobuf::Empty> DeleteServiceAccount(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteServiceAccountRequest& request);

// The plaintext is in this answer only; a retry with the same request_id
// answers the metadata without it.
absl::StatusOr<v1::ServiceAccountSecret> CreateServiceAccountSecret(
    IdentityContext& context, const auth::Principal& caller,
    const v1::CreateServiceAccountSecretRequest& request);

absl::StatusOr<v1::ListServiceAccountSecretsResponse> ListServiceAccountSecrets(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListServiceAccountSecretsRequest& request);

absl::StatusOr<google::protobuf::Empty> DeleteServiceAccountSecret(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteServiceAccountSecretRequest& request);

// An unknown account and a wrong or expired secret get the same
// UNAUTHENTICATED (INVALID_CREDENTIALS) answer; only a caller holding a
// valid secret learns that the account is disabled or what it may ask for.
absl::StatusOr<v1::ServiceAccountToken> IssueServiceAccountToken(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::IssueServiceAccountTokenRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SERVICE_ACCOUNTS_H_
