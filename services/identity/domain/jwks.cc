#include "services/identity/domain/jwks.h"

#include <memory>

#include "libs/auth/base64url.h"
#include "services/identity/repository/signing_keys.h"

namespace agora::identity {
namespace {

void AddKey(v1::Jwks& jwks, absl::string_view kid,
            const auth::Ed25519PublicKey& key) {
  v1::Jwk* jwk = jwks.add_keys();
  jwk->set_kty("OKP");
  jwk->set_crv("Ed25519");
  jwk->set_x(auth::Base64UrlEncode(key.raw()));
  jwk->set_kid(std::string(kid));
  jwk->set_use("sig");
  jwk->set_alg("EdDSA");
}

}  // namespace

v1::Jwks ToJwksProto(const auth::KeySet& keys, absl::string_view current_kid) {
  v1::Jwks jwks;
  if (const auth::Ed25519PublicKey* current = keys.Find(current_kid)) {
    AddKey(jwks, current_kid, *current);
  }
  for (const auto& [kid, key] : keys.keys()) {
    if (kid != current_kid) AddKey(jwks, kid, key);
  }
  return jwks;
}

absl::StatusOr<v1::Jwks> GetJwks(IdentityContext& context,
                                 const auth::Principal* /*caller*/,
                                 const CallInfo& /*call*/,
                                 const v1::GetJwksRequest& /*request*/) {
  const std::shared_ptr<const auth::KeySet> keys = context.signing_keys.Keys();
  if (keys == nullptr || keys->empty()) {
    return absl::UnavailableError("no signing keys loaded yet");
  }
  return ToJwksProto(*keys, context.signing_keys.CurrentKeyId());
}

}  // namespace agora::identity
