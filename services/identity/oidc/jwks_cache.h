// Providers' signing keys, fetched from their jwks_uri and kept, so that a
// sign-in costs one request to the provider (the code exchange), not two.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_JWKS_CACHE_H_
#define AGORA_SERVICES_IDENTITY_OIDC_JWKS_CACHE_H_

#include <cjose/jwk.h>

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/identity/oidc/client_options.h"
#include "services/identity/oidc/https_client.h"
#include "services/identity/oidc/signing_keys.h"

namespace agora::identity::oidc {

// Thread-safe. Fetches a jwks_uri the first time a key of it is needed, again
// when a token names a kid the cached set lacks (at most once per
// options.min_jwks_refresh) and when the set is older than
// options.jwks_max_age. One fetch per jwks_uri at a time: concurrent sign-ins
// wait for it rather than fetch the same document again.
class JwksCache {
 public:
  // `http` and `clock` must outlive the cache.
  JwksCache(const HttpsClient& http, VerifierOptions options,
            std::function<absl::Time()> clock);

  // The key of `jwks_uri` for a token with this kid and alg, kept alive by
  // the returned pointer even if the set is replaced meanwhile.
  // UNAUTHENTICATED "unknown signing key" when no key fits after the refresh
  // the policy allows; UNAVAILABLE when the JWKS cannot be fetched and no
  // cached key fits.
  absl::StatusOr<std::shared_ptr<const cjose_jwk_t>> KeyFor(
      const std::string& jwks_uri, absl::string_view kid, JwsAlgorithm alg);

 private:
  struct Entry {
    absl::Mutex fetch_mu;  // held while fetching, so one fetch at a time
    absl::Mutex mu;
    std::shared_ptr<const SigningKeys> keys ABSL_GUARDED_BY(mu);
    absl::Time fetched_at ABSL_GUARDED_BY(mu) = absl::InfinitePast();
    absl::Time last_attempt ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  };

  Entry& EntryFor(const std::string& jwks_uri);
  absl::StatusOr<std::shared_ptr<const SigningKeys>> Fetch(
      const std::string& jwks_uri) const;

  const HttpsClient& http_;
  const VerifierOptions options_;
  const std::function<absl::Time()> clock_;
  absl::Mutex entries_mu_;
  // Entries are never removed: there is one per configured provider.
  absl::flat_hash_map<std::string, std::unique_ptr<Entry>> entries_
      ABSL_GUARDED_BY(entries_mu_);
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_JWKS_CACHE_H_
