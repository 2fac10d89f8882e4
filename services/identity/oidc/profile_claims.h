// Reading a user's profile out of a provider's JSON (ID token claims or a
// userinfo answer), with the same bounds whichever carried it.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_PROFILE_CLAIMS_H_
#define AGORA_SERVICES_IDENTITY_OIDC_PROFILE_CLAIMS_H_

#include <nlohmann/json_fwd.hpp>

#include "services/identity/oidc/external_user.h"

namespace agora::identity::oidc {

// The profile fields (email, email_verified, name, locale) of `claims`, as
// ExternalUser documents them; `subject` is left empty for the caller, which
// knows where its provider puts it.
ExternalUser ProfileFromClaims(const nlohmann::json& claims);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_PROFILE_CLAIMS_H_
