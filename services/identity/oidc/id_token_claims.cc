#include "services/identity/oidc/id_token_claims.h"

#include <openssl/crypto.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "services/identity/oidc/profile_claims.h"

namespace agora::identity::oidc {
namespace {

// A NumericDate claim as a time; nullopt when absent, not a number or beyond
// any sensible date (which also keeps the conversion clear of overflow).
std::optional<absl::Time> DateClaim(const nlohmann::json& claims,
                                    const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end() || !it->is_number()) return std::nullopt;
  const double seconds = it->get<double>();
  if (!(seconds >= 0 && seconds < 1e11)) return std::nullopt;
  return absl::FromUnixSeconds(static_cast<int64_t>(seconds));
}

bool SameBytes(absl::string_view a, absl::string_view b) {
  return a.size() == b.size() &&
         CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

bool AudienceMatches(const nlohmann::json& claims,
                     const std::string& client_id) {
  const auto aud = claims.find("aud");
  if (aud == claims.end()) return false;
  size_t audiences = 0;
  bool listed = false;
  if (aud->is_string()) {
    audiences = 1;
    listed = *aud == client_id;
  } else if (aud->is_array()) {
    for (const nlohmann::json& entry : *aud) {
      if (!entry.is_string()) return false;
      ++audiences;
      listed = listed || entry == client_id;
    }
  }
  if (!listed) return false;
  // Core 3.1.3.7 (4, 5): with several audiences, azp must name us; when azp
  // is there at all, it must be us.
  const auto azp = claims.find("azp");
  if (azp == claims.end()) return audiences == 1;
  return azp->is_string() && *azp == client_id;
}

}  // namespace

absl::StatusOr<ExternalUser> CheckIdTokenClaims(
    absl::string_view payload, const IdTokenExpectations& expected) {
  const nlohmann::json claims =
      nlohmann::json::parse(payload, nullptr, /*allow_exceptions=*/false);
  if (!claims.is_object())
    return absl::UnauthenticatedError("id token malformed");

  const auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string() || *iss != expected.issuer) {
    return absl::UnauthenticatedError("id token issuer mismatch");
  }
  if (!AudienceMatches(claims, expected.client_id)) {
    return absl::UnauthenticatedError("id token audience mismatch");
  }
  const std::optional<absl::Time> exp = DateClaim(claims, "exp");
  const std::optional<absl::Time> iat = DateClaim(claims, "iat");
  if (!exp || !iat) return absl::UnauthenticatedError("id token malformed");
  if (expected.now >= *exp + expected.leeway) {
    return absl::UnauthenticatedError("id token expired");
  }
  if (*iat > expected.now + expected.leeway) {
    return absl::UnauthenticatedError("id token issued in the future");
  }
  if (claims.contains("nbf")) {
    const std::optional<absl::Time> nbf = DateClaim(claims, "nbf");
    if (!nbf) return absl::UnauthenticatedError("id token malformed");
    if (*nbf > expected.now + expected.leeway) {
      return absl::UnauthenticatedError("id token not yet valid");
    }
  }
  const auto nonce = claims.find("nonce");
  if (expected.nonce.empty() || nonce == claims.end() || !nonce->is_string() ||
      !SameBytes(nonce->get_ref<const std::string&>(), expected.nonce)) {
    return absl::UnauthenticatedError("id token nonce mismatch");
  }
  const auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() ||
      sub->get_ref<const std::string&>().empty() ||
      sub->get_ref<const std::string&>().size() > 255) {
    return absl::UnauthenticatedError("id token subject invalid");
  }
  ExternalUser user = ProfileFromClaims(claims);
  user.subject = sub->get<std::string>();
  return user;
}

}  // namespace agora::identity::oidc
