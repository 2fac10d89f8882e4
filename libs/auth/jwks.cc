#include "libs/auth/jwks.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/base64url.h"

namespace agora::auth {
namespace {

// The string member `name` of `jwk`, empty when absent; INVALID_ARGUMENT when
// present with another type.
absl::StatusOr<std::string> OptionalString(const nlohmann::json& jwk,
                                           const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end()) return std::string();
  if (!it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("JWKS key member \"", name, "\" is not a string"));
  }
  return it->get<std::string>();
}

}  // namespace

std::string ToJwks(const KeySet& keys) {
  nlohmann::json array = nlohmann::json::array();
  for (const auto& [kid, key] : keys.keys()) {
    array.push_back({{"kty", "OKP"},
                     {"crv", "Ed25519"},
                     {"kid", kid},
                     {"x", Base64UrlEncode(key.raw())},
                     {"alg", "EdDSA"},
                     {"use", "sig"}});
  }
  // Key ids are ASCII in practice; replacing invalid UTF-8 keeps dump() from
  // throwing on one that is not.
  return nlohmann::json{{"keys", std::move(array)}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
}

absl::StatusOr<KeySet> ParseJwks(absl::string_view json) {
  if (json.size() > kMaxJwksBytes) {
    return absl::InvalidArgumentError("JWKS document too large");
  }
  const nlohmann::json document =
      nlohmann::json::parse(json.begin(), json.end(), nullptr,
                            /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object()) {
    return absl::InvalidArgumentError("JWKS is not a JSON object");
  }
  auto keys_it = document.find("keys");
  if (keys_it == document.end() || !keys_it->is_array()) {
    return absl::InvalidArgumentError("JWKS has no \"keys\" array");
  }
  KeySet keys;
  for (const nlohmann::json& jwk : *keys_it) {
    if (!jwk.is_object()) {
      return absl::InvalidArgumentError("JWKS key is not a JSON object");
    }
    absl::StatusOr<std::string> kty = OptionalString(jwk, "kty");
    absl::StatusOr<std::string> crv = OptionalString(jwk, "crv");
    absl::StatusOr<std::string> use = OptionalString(jwk, "use");
    absl::StatusOr<std::string> alg = OptionalString(jwk, "alg");
    for (const auto* member : {&kty, &crv, &use, &alg}) {
      if (!member->ok()) return member->status();
    }
    if (*kty != "OKP" || *crv != "Ed25519") continue;
    if (!use->empty() && *use != "sig") continue;
    if (!alg->empty() && *alg != "EdDSA") continue;

    absl::StatusOr<std::string> kid = OptionalString(jwk, "kid");
    if (!kid.ok()) return kid.status();
    absl::StatusOr<std::string> x = OptionalString(jwk, "x");
    if (!x.ok()) return x.status();
    absl::StatusOr<std::string> raw = Base64UrlDecode(*x);
    if (x->empty() || !raw.ok()) {
      return absl::InvalidArgumentError("JWKS key has an invalid \"x\"");
    }
    absl::StatusOr<Ed25519PublicKey> key = Ed25519PublicKey::FromRaw(*raw);
    if (!key.ok()) {
      return absl::InvalidArgumentError("JWKS key has an invalid \"x\"");
    }
    absl::Status added = kid->empty() ? keys.Add(*key) : keys.Add(*kid, *key);
    if (!added.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JWKS key: ", added.message()));
    }
  }
  return keys;
}

}  // namespace agora::auth
