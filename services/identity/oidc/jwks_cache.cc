#include "services/identity/oidc/jwks_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "libs/logging/log.h"

namespace agora::identity::oidc {
namespace {

// Shares ownership of the whole set, so the key outlives a refresh that
// replaces the set while a verification is using it.
std::shared_ptr<const cjose_jwk_t> KeyIn(
    const std::shared_ptr<const SigningKeys>& keys, absl::string_view kid,
    JwsAlgorithm alg) {
  if (keys == nullptr) return nullptr;
  const cjose_jwk_t* key = keys->Find(kid, alg);
  if (key == nullptr) return nullptr;
  return std::shared_ptr<const cjose_jwk_t>(keys, key);
}

absl::Status UnknownKey() {
  return absl::UnauthenticatedError("unknown signing key");
}

}  // namespace

JwksCache::JwksCache(const HttpsClient& http, VerifierOptions options,
                     std::function<absl::Time()> clock)
    : http_(http), options_(options), clock_(std::move(clock)) {}

JwksCache::Entry& JwksCache::EntryFor(const std::string& jwks_uri) {
  absl::MutexLock lock(&entries_mu_);
  std::unique_ptr<Entry>& entry = entries_[jwks_uri];
  if (entry == nullptr) entry = std::make_unique<Entry>();
  return *entry;
}

absl::StatusOr<std::shared_ptr<const cjose_jwk_t>> JwksCache::KeyFor(
    const std::string& jwks_uri, absl::string_view kid, JwsAlgorithm alg) {
  Entry& entry = EntryFor(jwks_uri);
  const auto snapshot = [&entry] {
    absl::MutexLock lock(&entry.mu);
    return std::make_tuple(entry.keys, entry.fetched_at, entry.last_attempt);
  };
  {
    const auto [keys, fetched_at, last_attempt] = snapshot();
    if (clock_() - fetched_at < options_.jwks_max_age) {
      if (auto key = KeyIn(keys, kid, alg)) return key;
    }
  }

  absl::MutexLock fetch_lock(&entry.fetch_mu);
  // Another sign-in may have refreshed the set while we waited.
  const auto [keys, fetched_at, last_attempt] = snapshot();
  const absl::Time now = clock_();
  const bool fresh = now - fetched_at < options_.jwks_max_age;
  if (fresh) {
    if (auto key = KeyIn(keys, kid, alg)) return key;
    if (now - last_attempt < options_.min_jwks_refresh) return UnknownKey();
  }
  {
    absl::MutexLock lock(&entry.mu);
    entry.last_attempt = now;
  }
  absl::StatusOr<std::shared_ptr<const SigningKeys>> fetched = Fetch(jwks_uri);
  if (!fetched.ok()) {
    // Keys past max_age are still better than refusing every sign-in while
    // the provider's JWKS endpoint has a bad moment.
    if (auto key = KeyIn(keys, kid, alg)) {
      logging::Warn(
          "oidc: JWKS refresh failed, using cached keys",
          {{"jwks_uri", jwks_uri}, {"error", fetched.status().ToString()}});
      return key;
    }
    return fetched.status();
  }
  {
    absl::MutexLock lock(&entry.mu);
    entry.keys = *fetched;
    entry.fetched_at = now;
  }
  logging::Info("oidc: JWKS fetched",
                {{"jwks_uri", jwks_uri},
                 {"keys", static_cast<int64_t>((*fetched)->size())}});
  if (auto key = KeyIn(*fetched, kid, alg)) return key;
  return UnknownKey();
}

absl::StatusOr<std::shared_ptr<const SigningKeys>> JwksCache::Fetch(
    const std::string& jwks_uri) const {
  absl::StatusOr<HttpResponse> response = http_.Get(jwks_uri, {});
  if (!response.ok()) return response.status();
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("jwks_uri answered HTTP ", response->status));
  }
  absl::StatusOr<std::shared_ptr<const SigningKeys>> keys =
      SigningKeys::FromJwks(response->body);
  if (!keys.ok())
    return absl::UnavailableError("jwks_uri answered no usable key set");
  return keys;
}

}  // namespace agora::identity::oidc
