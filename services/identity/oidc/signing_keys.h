// A provider's signature-verification keys, imported from its JWKS with
// cjose. Immutable once built, so threads share one set without locks.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_SIGNING_KEYS_H_
#define AGORA_SERVICES_IDENTITY_OIDC_SIGNING_KEYS_H_

#include <cjose/jwk.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity::oidc {

// The only signature algorithms we accept on ID tokens. Everything else
// ("none", HS256 keyed with a public key, ...) is refused before any key is
// looked at.
enum class JwsAlgorithm { kRs256, kEs256 };

class SigningKeys {
 public:
  // Imports the RSA keys of at least 2048 bits and the EC P-256 keys of a JWKS
  // document ({"keys": [...]}). Keys of other types, of use other than "sig",
  // or that cjose cannot import are skipped: a provider may publish keys we
  // have no use for. INVALID_ARGUMENT when the document is not a JWKS or holds
  // more than 100 keys.
  static absl::StatusOr<std::shared_ptr<const SigningKeys>> FromJwks(
      absl::string_view jwks);

  // The key to verify a token with this header: same kid, of the type `alg`
  // needs, and whose own "alg", if any, is `alg`. A token without kid gets the
  // only key of that type, if there is exactly one. nullptr when none fits.
  const cjose_jwk_t* Find(absl::string_view kid, JwsAlgorithm alg) const;

  size_t size() const { return keys_.size(); }

 private:
  struct CjoseKeyDeleter {
    void operator()(cjose_jwk_t* key) const { cjose_jwk_release(key); }
  };
  struct Key {
    std::string kid;
    JwsAlgorithm alg;  // RS256 for RSA keys, ES256 for P-256 keys
    std::unique_ptr<cjose_jwk_t, CjoseKeyDeleter> jwk;
  };

  std::vector<Key> keys_;
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_SIGNING_KEYS_H_
