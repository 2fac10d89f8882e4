// Who may do what in which tenant, for the moderation service. Every RPC
// resolves the tenant from the resource name it acts on and checks the
// caller against it: a token of one tenant never acts in another.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_TENANT_ACCESS_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_TENANT_ACCESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"
#include "libs/api/caller.h"
#include "libs/auth/principal.h"

namespace agora::moderation {

// Shared with every service (libs/api/caller.h): PrincipalName, ActorFor,
// RequireTenantRole, RequireScope (content calls Screen with
// "moderation.screen").
using api::ActorFor;
using api::PrincipalName;
using api::RequireScope;
using api::RequireTenantRole;

// The parts of a resource name "tenants/{tenant}/{collection}/{id}".
struct ResourceName {
  std::string tenant;
  std::string collection;  // "" for "tenants/{tenant}" and singletons
  std::string id;          // "" for collections and singletons
};

// Parses `name` for `field`, expecting "tenants/{tenant}" when `collection`
// is empty, "tenants/{tenant}/{collection}" for a singleton such as
// "moderationPolicy" when `id_required` is false, else
// "tenants/{tenant}/{collection}/{id}". INVALID_ARGUMENT naming `field`.
absl::StatusOr<ResourceName> ParseResourceName(absl::string_view field,
                                               absl::string_view name,
                                               absl::string_view collection,
                                               bool id_required);

// "tenants/fr" -> "fr" (INVALID_ARGUMENT naming `field` otherwise).
absl::StatusOr<std::string> ParseTenantParent(absl::string_view field,
                                              absl::string_view parent);

// Moderators and tenant admins of the tenant (and platform admins).
absl::Status RequireModerator(const auth::Principal& principal,
                              absl::string_view tenant);

// Tenant admins of the tenant (and platform admins).
absl::Status RequireTenantAdmin(const auth::Principal& principal,
                                absl::string_view tenant);

// Any signed-in member or service account of the tenant.
absl::Status RequireTenantMember(const auth::Principal& principal,
                                 absl::string_view tenant);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_TENANT_ACCESS_H_
