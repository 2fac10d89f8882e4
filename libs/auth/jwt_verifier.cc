#include "libs/auth/jwt_verifier.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "libs/auth/base64url.h"
#include "libs/auth/jwt_format.h"
#include "libs/logging/log.h"

namespace agora::auth {
namespace {

absl::Status Refuse(absl::string_view why) {
  return absl::UnauthenticatedError(why);
}

// The kid of a decoded header that passes the algorithm allow-list, or the
// refusal. The header is parsed before the signature is checked, so it is
// treated as hostile: only the three members below are read.
absl::StatusOr<std::string> CheckHeader(absl::string_view header_json) {
  const nlohmann::json header =
      nlohmann::json::parse(header_json.begin(), header_json.end(), nullptr,
                            /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) {
    return Refuse("malformed token header");
  }
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() ||
      alg->get<std::string>() != kJwtAlgorithm) {
    return Refuse("unsupported token algorithm");
  }
  // RFC 7515 4.1.11: extensions listed in "crit" must be understood; Agora
  // understands none.
  if (header.contains("crit")) return Refuse("unsupported token header");
  if (auto typ = header.find("typ"); typ != header.end()) {
    // Media type names compare case-insensitively (RFC 7515 4.1.9).
    if (!typ->is_string() ||
        !absl::EqualsIgnoreCase(typ->get<std::string>(), kJwtType)) {
      return Refuse("unsupported token header");
    }
  }
  auto kid = header.find("kid");
  if (kid == header.end() || !kid->is_string() ||
      kid->get<std::string>().empty() ||
      kid->get<std::string>().size() > kMaxKeyIdBytes) {
    return Refuse("token has no key id");
  }
  return kid->get<std::string>();
}

}  // namespace

JwtVerifier::JwtVerifier(JwtVerifierOptions options,
                         std::shared_ptr<KeySource> keys)
    : options_(std::move(options)), keys_(std::move(keys)) {}

absl::Time JwtVerifier::Now() const {
  return options_.clock ? options_.clock() : absl::Now();
}

std::shared_ptr<const KeySet> JwtVerifier::KeysAfterRefresh(
    absl::string_view kid) const {
  absl::MutexLock lock(&refresh_mutex_);
  std::shared_ptr<const KeySet> keys = keys_->Keys();
  if (keys->Find(kid) != nullptr) return keys;
  const absl::Time now = Now();
  if (now - last_refresh_ < options_.min_refresh_interval) return keys;
  // A failed refresh counts too: an identity outage must not turn every
  // token with a new kid into a fetch.
  last_refresh_ = now;
  if (absl::Status refreshed = keys_->Refresh(); !refreshed.ok()) {
    logging::Warn("signing key refresh failed",
                  {{"code", absl::StatusCodeToString(refreshed.code())},
                   {"error", std::string(refreshed.message())}});
  }
  return keys_->Keys();
}

absl::StatusOr<Claims> JwtVerifier::Verify(absl::string_view token) const {
  if (options_.cache_size > 0) {
    absl::MutexLock lock(&cache_mutex_);
    auto it = cache_.find(token);
    if (it != cache_.end()) {
      if (Now() < it->second.expires_at + options_.leeway) return it->second;
      cache_.erase(it);  // expired: the full check below refuses it
    }
  }
  absl::StatusOr<Claims> claims = VerifyUncached(token);
  if (claims.ok() && options_.cache_size > 0) {
    absl::MutexLock lock(&cache_mutex_);
    if (cache_.size() >= options_.cache_size) cache_.clear();
    cache_.emplace(std::string(token), *claims);
  }
  return claims;
}

absl::StatusOr<Claims> JwtVerifier::VerifyUncached(
    absl::string_view token) const {
  if (keys_ == nullptr) return absl::InternalError("verifier has no keys");
  // Checked here as well as in SplitJwt so that the refusal reads the same
  // whatever the token's shape.
  if (token.size() > kMaxTokenBytes) return Refuse("token too large");
  absl::StatusOr<JwtSegments> segments = SplitJwt(token);
  if (!segments.ok()) return Refuse("malformed token");

  absl::StatusOr<std::string> header = Base64UrlDecode(segments->header);
  if (!header.ok()) return Refuse("malformed token header");
  absl::StatusOr<std::string> kid = CheckHeader(*header);
  if (!kid.ok()) return kid.status();
  absl::StatusOr<std::string> signature = Base64UrlDecode(segments->signature);
  if (!signature.ok()) return Refuse("malformed token signature");

  std::shared_ptr<const KeySet> keys = keys_->Keys();
  const Ed25519PublicKey* key = keys->Find(*kid);
  if (key == nullptr) {
    keys = KeysAfterRefresh(*kid);
    key = keys->Find(*kid);
    if (key == nullptr) return Refuse("unknown signing key");
  }
  if (!key->Verify(segments->signing_input, *signature)) {
    return Refuse("invalid token signature");
  }

  // Only signed bytes are parsed from here on.
  absl::StatusOr<std::string> payload = Base64UrlDecode(segments->payload);
  if (!payload.ok()) return Refuse("malformed token payload");
  absl::StatusOr<Claims> claims = DecodeClaims(*payload);
  if (!claims.ok()) {
    return Refuse(absl::StrCat("invalid token: ", claims.status().message()));
  }

  const absl::Time now = Now();
  if (now >= claims->expires_at + options_.leeway) {
    return Refuse("token expired");
  }
  if (claims->not_before.has_value() &&
      now + options_.leeway < *claims->not_before) {
    return Refuse("token not yet valid");
  }
  if (claims->issued_at.has_value() &&
      now + options_.leeway < *claims->issued_at) {
    return Refuse("token issued in the future");
  }
  if (options_.issuer.empty() || claims->issuer != options_.issuer) {
    return Refuse("wrong token issuer");
  }
  if (options_.audience.empty() ||
      std::find(claims->audience.begin(), claims->audience.end(),
                options_.audience) == claims->audience.end()) {
    return Refuse("wrong token audience");
  }
  if (options_.token_type.empty() ||
      claims->token_type != options_.token_type) {
    return Refuse("wrong token type");
  }
  if (claims->subject.empty()) return Refuse("token has no subject");
  return claims;
}

}  // namespace agora::auth
