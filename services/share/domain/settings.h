// Share settings per tenant: defaults, validation (errors name the field),
// and the Get/Update RPCs (tenant admins update, with etag).
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "agora/share/v1/share.pb.h"
#include "libs/auth/principal.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

// Every network in the order of the enum, enabled; campaign "agora"; post
// path "/posts/{post}"; milestones 25, 300, 1,000; 30 resolutions per
// visitor and minute; site name "Agora". No URLs and no hosts: a tenant
// admin must set them before links can be made.
v1::ShareSettings DefaultSettings();

// `stored` with the defaults filled where it leaves a field empty.
v1::ShareSettings WithDefaults(const v1::ShareSettings& stored);

// OK when `settings` (defaults filled) may be stored; INVALID_ARGUMENT
// naming `share_settings.<field>` otherwise (reason HOST_NOT_ALLOWED for a
// URL whose host is not allowed).
absl::Status ValidateSettings(const v1::ShareSettings& settings);

// True when the URLs share needs are set.
bool IsConfigured(const v1::ShareSettings& settings);

absl::StatusOr<v1::ShareSettings> GetShareSettings(
    ShareContext& context, const auth::Principal* caller,
    const v1::GetShareSettingsRequest& request);

absl::StatusOr<v1::ShareSettings> UpdateShareSettings(
    ShareContext& context, const auth::Principal& caller,
    const v1::UpdateShareSettingsRequest& request);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_H_
