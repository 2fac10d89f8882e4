#include "services/identity/oidc/signing_keys.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace agora::identity::oidc {
namespace {

constexpr size_t kMaxKeys = 100;
constexpr size_t kMaxKidBytes = 256;
constexpr size_t kMinRsaBits = 2048;

std::string StringMember(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>()
                                               : std::string();
}

}  // namespace

absl::StatusOr<std::shared_ptr<const SigningKeys>> SigningKeys::FromJwks(
    absl::string_view jwks) {
  // No exceptions: a malformed document gives a discarded value.
  const nlohmann::json document =
      nlohmann::json::parse(jwks, nullptr, /*allow_exceptions=*/false);
  if (!document.is_object() || !document.contains("keys") ||
      !document["keys"].is_array()) {
    return absl::InvalidArgumentError("jwks: not a JSON Web Key Set");
  }
  const nlohmann::json& entries = document["keys"];
  if (entries.size() > kMaxKeys)
    return absl::InvalidArgumentError("jwks: too many keys");

  auto keys = std::make_shared<SigningKeys>();
  for (const nlohmann::json& entry : entries) {
    if (!entry.is_object()) continue;
    const std::string kty = StringMember(entry, "kty");
    const std::string use = StringMember(entry, "use");
    const std::string declared_alg = StringMember(entry, "alg");
    const std::string kid = StringMember(entry, "kid");
    if (!use.empty() && use != "sig") continue;
    if (kid.size() > kMaxKidBytes) continue;
    JwsAlgorithm alg;
    if (kty == "RSA" && (declared_alg.empty() || declared_alg == "RS256")) {
      alg = JwsAlgorithm::kRs256;
    } else if (kty == "EC" && StringMember(entry, "crv") == "P-256" &&
               (declared_alg.empty() || declared_alg == "ES256")) {
      alg = JwsAlgorithm::kEs256;
    } else {
      continue;
    }
    const std::string json = entry.dump();
    std::unique_ptr<cjose_jwk_t, CjoseKeyDeleter> jwk(
        cjose_jwk_import(json.data(), json.size(), nullptr));
    if (jwk == nullptr) continue;
    // Re-check on what cjose built, not only on what the JSON claimed.
    const cjose_jwk_kty_t built = cjose_jwk_get_kty(jwk.get(), nullptr);
    if (alg == JwsAlgorithm::kRs256 &&
        (built != CJOSE_JWK_KTY_RSA ||
         cjose_jwk_get_keysize(jwk.get(), nullptr) < kMinRsaBits)) {
      continue;
    }
    if (alg == JwsAlgorithm::kEs256 &&
        (built != CJOSE_JWK_KTY_EC ||
         cjose_jwk_EC_get_curve(jwk.get(), nullptr) != CJOSE_JWK_EC_P_256)) {
      continue;
    }
    keys->keys_.push_back(Key{kid, alg, std::move(jwk)});
  }
  return std::shared_ptr<const SigningKeys>(std::move(keys));
}

const cjose_jwk_t* SigningKeys::Find(absl::string_view kid,
                                     JwsAlgorithm alg) const {
  const cjose_jwk_t* only = nullptr;
  int of_type = 0;
  for (const Key& key : keys_) {
    if (key.alg != alg) continue;
    if (!kid.empty() && key.kid == kid) return key.jwk.get();
    ++of_type;
    only = key.jwk.get();
  }
  return kid.empty() && of_type == 1 ? only : nullptr;
}

}  // namespace agora::identity::oidc
