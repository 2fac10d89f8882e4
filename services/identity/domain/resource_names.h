// Resource names of the identity API, parsed and built in one place:
//   tenants/{tenant}
//   tenants/{tenant}/members/{member}            (member: a UUID, or "me")
//   tenants/{tenant}/members/{member}/profile
//   tenants/{tenant}/identityProviders/{provider}
//   tenants/{tenant}/serviceAccounts/{account}   or serviceAccounts/{account}
//   .../serviceAccounts/{account}/secrets/{secret}
// Parse failures are INVALID_ARGUMENT naming the field and the pattern.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_RESOURCE_NAMES_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_RESOURCE_NAMES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace agora::identity {

// A tenant id: 2-32 characters of a-z, 0-9 and "-".
absl::Status ValidateTenantId(absl::string_view field, absl::string_view id);

// "fr" from "tenants/fr".
absl::StatusOr<std::string> ParseTenantName(absl::string_view field,
                                            absl::string_view name);

struct MemberName {
  std::string tenant;
  std::string member;  // a UUID ("me" already resolved)
};

// A member name; "me" becomes the caller's own id when the caller is a
// member of that tenant (INVALID_ARGUMENT otherwise). With `suffix`
// ("/profile"), the name must end with it.
absl::StatusOr<MemberName> ParseMemberName(absl::string_view field,
                                           absl::string_view name,
                                           const auth::Principal* caller,
                                           absl::string_view suffix = "");

struct ChildName {
  std::string tenant;  // "" for platform-wide service accounts
  std::string id;
};

// tenants/{tenant}/identityProviders/{id}.
absl::StatusOr<ChildName> ParseProviderName(absl::string_view field,
                                            absl::string_view name);

// tenants/{tenant}/serviceAccounts/{id} or serviceAccounts/{id}.
absl::StatusOr<ChildName> ParseServiceAccountName(absl::string_view field,
                                                  absl::string_view name);

struct SecretName {
  ChildName account;
  std::string secret;  // a UUID
};
absl::StatusOr<SecretName> ParseSecretName(absl::string_view field,
                                           absl::string_view name);

// True for the canonical 8-4-4-4-12 hexadecimal form.
bool IsUuid(absl::string_view text);

std::string TenantName(absl::string_view tenant);
std::string MemberResourceName(absl::string_view tenant,
                               absl::string_view member);
std::string ProviderResourceName(absl::string_view tenant,
                                 absl::string_view provider);
std::string ServiceAccountResourceName(absl::string_view tenant,
                                       absl::string_view account);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_RESOURCE_NAMES_H_
