// The caller of an RPC as every service names and checks it: resource name,
// actor of events and audit entries, and the tenant-and-role checks each
// service makes itself (the gateway having checked is never enough).
#ifndef AGORA_LIBS_API_CALLER_H_
#define AGORA_LIBS_API_CALLER_H_

#include <initializer_list>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"
#include "libs/auth/principal.h"

namespace agora::api {

// "tenants/{tenant}/members/{subject}" or, for service accounts,
// "tenants/{tenant}/serviceAccounts/{subject}".
std::string PrincipalName(const auth::Principal& principal);

// The caller as an actor of audit entries and events, named by
// PrincipalName.
agora::common::v1::Actor ActorFor(const auth::Principal& principal);

// PERMISSION_DENIED unless the principal belongs to `tenant` (or is a
// platform admin) and holds one of `roles` (platform admins always pass).
absl::Status RequireTenantRole(const auth::Principal& principal,
                               absl::string_view tenant,
                               std::initializer_list<absl::string_view> roles);

// Service accounts of `tenant` (or platform-wide ones acting in it) holding
// `scope`; PERMISSION_DENIED naming the scope otherwise.
absl::Status RequireScope(const auth::Principal& principal,
                          absl::string_view tenant, absl::string_view scope);

}  // namespace agora::api

#endif  // AGORA_LIBS_API_CALLER_H_
