// The claims of an Agora token and their JSON form (the JWT payload). Times
// travel as whole seconds since the Unix epoch (RFC 7519 NumericDate).
#ifndef AGORA_LIBS_AUTH_CLAIMS_H_
#define AGORA_LIBS_AUTH_CLAIMS_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace agora::auth {

// Trust levels as identity assigns them; they travel in "trust_level".
inline constexpr int kTrustLevelNew = 0;
inline constexpr int kTrustLevelBasic = 1;
inline constexpr int kTrustLevelMember = 2;
inline constexpr int kTrustLevelRegular = 3;
inline constexpr int kTrustLevelLeader = 4;

// The only token type services accept on calls.
inline constexpr char kAccessTokenType[] = "access";

struct Claims {
  std::string issuer;  // "iss"; required
  // "sub": member id or service account id; required.
  std::string subject;
  // "aud": at least one. One audience is written as a JSON string, several as
  // an array; both are read back.
  std::vector<std::string> audience;
  absl::Time expires_at = absl::InfinitePast();  // "exp"; required
  std::optional<absl::Time> not_before;          // "nbf"
  std::optional<absl::Time> issued_at;           // "iat"
  std::string token_id;                          // "jti"; empty = absent

  // Agora claims.
  std::string tenant;                // "tenant": the tenant the token acts in
  std::vector<std::string> roles;    // "roles": see roles.h
  int trust_level = kTrustLevelNew;  // "trust_level": 0-4
  std::vector<std::string> scopes;   // "scopes", e.g. "content.read"
  std::string token_type = kAccessTokenType;  // "token_type"

  // Any other claims, as a JSON object whose members may not reuse the names
  // above. Verified tokens put every claim not named above here.
  nlohmann::json extra = nlohmann::json::object();
};

// The JWT payload for `claims`, as compact JSON text. INVALID_ARGUMENT when
// iss, sub, aud or token_type is missing or empty, exp is not finite or
// before 1970, trust_level is outside 0-4, `extra` is not an object or reuses
// a claim name, or a string is not valid UTF-8. Messages name the claim,
// never its value.
absl::StatusOr<std::string> EncodeClaims(const Claims& claims);

// The claims of a JWT payload. INVALID_ARGUMENT when `json` is not a JSON
// object, "exp" is missing, or a claim above has the wrong type or range
// (times are numbers from 0 to the end of year 9999, fractions dropped;
// trust_level an integer 0-4). Only the shape is checked here: whether the
// times, issuer and audience are acceptable is the verifier's business.
absl::StatusOr<Claims> DecodeClaims(absl::string_view json);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_CLAIMS_H_
