// Who the caller is to a tenant's content: every RPC resolves the tenant
// from the resource name it acts on and asks these. A token of one tenant
// never acts in another; anonymous callers (nullptr) read published things.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_ACCESS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_ACCESS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace agora::content {

// The caller acts in `tenant` (its own, or any for a platform admin).
bool ActsIn(const auth::Principal* caller, absl::string_view tenant);
// ... with one of these roles there (platform admins always).
bool IsTenantAdmin(const auth::Principal* caller, absl::string_view tenant);
bool IsModerator(const auth::Principal* caller, absl::string_view tenant);
bool IsStaff(const auth::Principal* caller, absl::string_view tenant);
// The member id of a signed-in member of `tenant` ("" otherwise): what
// posts store as their author.
std::string MemberIdIn(const auth::Principal* caller, absl::string_view tenant);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_ACCESS_H_
