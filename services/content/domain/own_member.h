// Follows, the inbox and notification preferences belong to one member:
// only that member acts on them (`me` names the caller). Moderators and
// admins included, nobody reads another member's inbox.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_OWN_MEMBER_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_OWN_MEMBER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/api/resource_names.h"
#include "libs/auth/principal.h"

namespace agora::content {

// The member `name` (tenants/{tenant}/members/{member}) when it is the
// caller; INVALID_ARGUMENT naming `field` for a malformed name,
// PERMISSION_DENIED for anyone else's (another tenant's included).
absl::StatusOr<api::MemberName> RequireOwnMember(absl::string_view field,
                                                 absl::string_view name,
                                                 const auth::Principal& caller);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_OWN_MEMBER_H_
