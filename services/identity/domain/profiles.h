// Public profiles (never the e-mail) and display-name checks.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PROFILES_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PROFILES_H_

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::Profile> GetProfile(IdentityContext& context,
                                       const auth::Principal* caller,
                                       const CallInfo& call,
                                       const v1::GetProfileRequest& request);

absl::StatusOr<v1::Profile> UpdateProfile(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateProfileRequest& request);

absl::StatusOr<v1::CheckDisplayNameResponse> CheckDisplayName(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::CheckDisplayNameRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PROFILES_H_
