// The tenant RPCs: platform admins create and change tenants; anyone may
// read one (pages need its languages and time zone); platform admins and
// services holding identity.read list them (the gateway maps host names to
// tenants with that list).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_TENANTS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_TENANTS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// Every field rule of a tenant's settings (display name, languages, time
// zone, hosts, reserved names, terms version, state); messages name
// `tenant.<field>`.
absl::Status ValidateTenantSettings(const v1::Tenant& tenant);

// An IANA time zone name this process knows ("Europe/Paris", "UTC");
// INVALID_ARGUMENT naming `field` otherwise.
absl::Status ValidateTimeZone(absl::string_view field, absl::string_view name);

absl::StatusOr<v1::Tenant> CreateTenant(IdentityContext& context,
                                        const auth::Principal& caller,
                                        const v1::CreateTenantRequest& request);

// Anonymous callers allowed (`caller` null).
absl::StatusOr<v1::Tenant> GetTenant(IdentityContext& context,
                                     const auth::Principal* caller,
                                     const CallInfo& call,
                                     const v1::GetTenantRequest& request);

absl::StatusOr<v1::ListTenantsResponse> ListTenants(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListTenantsRequest& request);

absl::StatusOr<v1::Tenant> UpdateTenant(IdentityContext& context,
                                        const auth::Principal& caller,
                                        const v1::UpdateTenantRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_TENANTS_H_
