// GetJwks: the public keys that verify identity's access tokens, as every
// service and the gateway (/.well-known/jwks.json) fetch them. Anonymous.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_JWKS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_JWKS_H_

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/key_set.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

// `keys` as JWKs (OKP, Ed25519, EdDSA, sig), `current_kid` first, the others
// in kid order.
v1::Jwks ToJwksProto(const auth::KeySet& keys, absl::string_view current_kid);

// The published keys of context.signing_keys: the current one and those
// retired recently enough that tokens they signed may still be live.
absl::StatusOr<v1::Jwks> GetJwks(IdentityContext& context,
                                 const auth::Principal* caller,
                                 const CallInfo& call,
                                 const v1::GetJwksRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_JWKS_H_
