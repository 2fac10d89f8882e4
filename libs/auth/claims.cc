#include "libs/auth/claims.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace agora::auth {
namespace {

using Json = nlohmann::json;

// Every claim name Claims has a field for; `extra` may not reuse them.
constexpr std::array<const char*, 12> kNamedClaims = {
    "iss", "sub",    "aud",   "exp",         "nbf",    "iat",
    "jti", "tenant", "roles", "trust_level", "scopes", "token_type"};

// 9999-12-31T23:59:59Z: far enough for any token, and keeps absl::Time
// arithmetic (leeway) away from overflow.
constexpr int64_t kMaxNumericDate = 253402300799;

absl::Status ClaimError(absl::string_view claim, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("claim \"", claim, "\" ", problem));
}

absl::StatusOr<int64_t> ToNumericDate(absl::string_view claim, absl::Time t) {
  if (t == absl::InfinitePast() || t == absl::InfiniteFuture()) {
    return ClaimError(claim, "must be a finite time");
  }
  const int64_t seconds = absl::ToUnixSeconds(t);
  if (seconds < 0 || seconds > kMaxNumericDate) {
    return ClaimError(claim, "is out of range");
  }
  return seconds;
}

absl::StatusOr<absl::Time> FromNumericDate(absl::string_view claim,
                                           const Json& value) {
  int64_t seconds = 0;
  if (value.is_number_unsigned()) {
    const uint64_t u = value.get<uint64_t>();
    if (u > static_cast<uint64_t>(kMaxNumericDate)) {
      return ClaimError(claim, "is out of range");
    }
    seconds = static_cast<int64_t>(u);
  } else if (value.is_number_integer()) {
    seconds = value.get<int64_t>();
  } else if (value.is_number_float()) {
    const double d = value.get<double>();
    if (!std::isfinite(d) || d < 0 ||
        d > static_cast<double>(kMaxNumericDate)) {
      return ClaimError(claim, "is out of range");
    }
    seconds = static_cast<int64_t>(std::floor(d));
  } else {
    return ClaimError(claim, "is not a number");
  }
  if (seconds < 0 || seconds > kMaxNumericDate) {
    return ClaimError(claim, "is out of range");
  }
  return absl::FromUnixSeconds(seconds);
}

absl::Status ReadString(const Json& payload, const char* claim,
                        std::string* out) {
  auto it = payload.find(claim);
  if (it == payload.end()) return absl::OkStatus();
  if (!it->is_string()) return ClaimError(claim, "is not a string");
  *out = it->get<std::string>();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> StringArray(absl::string_view claim,
                                                     const Json& value) {
  if (!value.is_array()) return ClaimError(claim, "is not an array");
  std::vector<std::string> strings;
  strings.reserve(value.size());
  for (const Json& element : value) {
    if (!element.is_string()) {
      return ClaimError(claim, "holds a non-string");
    }
    strings.push_back(element.get<std::string>());
  }
  return strings;
}

absl::Status ReadStringArray(const Json& payload, const char* claim,
                             std::vector<std::string>* out) {
  auto it = payload.find(claim);
  if (it == payload.end()) return absl::OkStatus();
  absl::StatusOr<std::vector<std::string>> strings = StringArray(claim, *it);
  if (!strings.ok()) return strings.status();
  *out = *std::move(strings);
  return absl::OkStatus();
}

absl::Status ReadTime(const Json& payload, const char* claim,
                      std::optional<absl::Time>* out) {
  auto it = payload.find(claim);
  if (it == payload.end()) return absl::OkStatus();
  absl::StatusOr<absl::Time> t = FromNumericDate(claim, *it);
  if (!t.ok()) return t.status();
  *out = *t;
  return absl::OkStatus();
}

bool IsNamedClaim(absl::string_view name) {
  for (const char* named : kNamedClaims) {
    if (name == named) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> EncodeClaims(const Claims& claims) {
  if (claims.issuer.empty()) return ClaimError("iss", "is required");
  if (claims.subject.empty()) return ClaimError("sub", "is required");
  if (claims.audience.empty()) return ClaimError("aud", "is required");
  for (const std::string& audience : claims.audience) {
    if (audience.empty()) return ClaimError("aud", "holds an empty string");
  }
  if (claims.token_type.empty()) {
    return ClaimError("token_type", "is required");
  }
  if (claims.trust_level < kTrustLevelNew ||
      claims.trust_level > kTrustLevelLeader) {
    return ClaimError("trust_level", "must be 0-4");
  }
  if (!claims.extra.is_object()) {
    return absl::InvalidArgumentError("extra claims must be a JSON object");
  }

  Json payload = Json::object();
  for (const auto& [name, value] : claims.extra.items()) {
    if (IsNamedClaim(name)) return ClaimError(name, "is reserved");
    payload[name] = value;
  }
  payload["iss"] = claims.issuer;
  payload["sub"] = claims.subject;
  if (claims.audience.size() == 1) {
    payload["aud"] = claims.audience.front();
  } else {
    payload["aud"] = claims.audience;
  }
  absl::StatusOr<int64_t> exp = ToNumericDate("exp", claims.expires_at);
  if (!exp.ok()) return exp.status();
  payload["exp"] = *exp;
  if (claims.not_before.has_value()) {
    absl::StatusOr<int64_t> nbf = ToNumericDate("nbf", *claims.not_before);
    if (!nbf.ok()) return nbf.status();
    payload["nbf"] = *nbf;
  }
  if (claims.issued_at.has_value()) {
    absl::StatusOr<int64_t> iat = ToNumericDate("iat", *claims.issued_at);
    if (!iat.ok()) return iat.status();
    payload["iat"] = *iat;
  }
  if (!claims.token_id.empty()) payload["jti"] = claims.token_id;
  if (!claims.tenant.empty()) payload["tenant"] = claims.tenant;
  payload["roles"] = claims.roles;
  payload["trust_level"] = claims.trust_level;
  payload["scopes"] = claims.scopes;
  payload["token_type"] = claims.token_type;

  try {
    return payload.dump();
  } catch (const Json::exception&) {
    // dump() throws on strings that are not valid UTF-8.
    return absl::InvalidArgumentError("claims are not valid UTF-8");
  }
}

absl::StatusOr<Claims> DecodeClaims(absl::string_view json) {
  const Json payload = Json::parse(json.begin(), json.end(), nullptr,
                                   /*allow_exceptions=*/false);
  if (payload.is_discarded() || !payload.is_object()) {
    return absl::InvalidArgumentError("payload is not a JSON object");
  }

  Claims claims;
  // A token without "token_type" must not pass for an access token.
  claims.token_type.clear();
  for (const auto& [claim, out] :
       {std::pair{"iss", &claims.issuer}, std::pair{"sub", &claims.subject},
        std::pair{"jti", &claims.token_id}, std::pair{"tenant", &claims.tenant},
        std::pair{"token_type", &claims.token_type}}) {
    if (absl::Status s = ReadString(payload, claim, out); !s.ok()) return s;
  }

  if (auto it = payload.find("aud"); it != payload.end()) {
    if (it->is_string()) {
      claims.audience = {it->get<std::string>()};
    } else {
      absl::StatusOr<std::vector<std::string>> audience =
          StringArray("aud", *it);
      if (!audience.ok()) return audience.status();
      claims.audience = *std::move(audience);
    }
  }

  auto exp = payload.find("exp");
  if (exp == payload.end()) return ClaimError("exp", "is required");
  absl::StatusOr<absl::Time> expires_at = FromNumericDate("exp", *exp);
  if (!expires_at.ok()) return expires_at.status();
  claims.expires_at = *expires_at;
  if (absl::Status s = ReadTime(payload, "nbf", &claims.not_before); !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadTime(payload, "iat", &claims.issued_at); !s.ok()) {
    return s;
  }

  if (absl::Status s = ReadStringArray(payload, "roles", &claims.roles);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ReadStringArray(payload, "scopes", &claims.scopes);
      !s.ok()) {
    return s;
  }
  if (auto it = payload.find("trust_level"); it != payload.end()) {
    // JSON parsers store non-negative integers as unsigned and negative ones
    // as signed, so only an unsigned value can be in range.
    if (!it->is_number_unsigned() ||
        it->get<uint64_t>() > static_cast<uint64_t>(kTrustLevelLeader)) {
      return ClaimError("trust_level", "must be 0-4");
    }
    claims.trust_level = static_cast<int>(it->get<uint64_t>());
  }

  for (const auto& [name, value] : payload.items()) {
    if (!IsNamedClaim(name)) claims.extra[name] = value;
  }
  return claims;
}

}  // namespace agora::auth
