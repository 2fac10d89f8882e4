// Verifies Agora tokens. Every service holds one verifier, shared by all its
// gRPC threads; Verify is const and thread-safe.
//
// What a token must be to pass: at most kMaxTokenBytes; three base64url
// segments; header alg "EdDSA" exactly (never "none", never an HMAC or RSA
// algorithm, whatever key the attacker hopes will be used as the secret), no
// "crit", typ absent or "JWT", a kid naming a key of the key source; a valid
// Ed25519 signature by that key; exp in the future and nbf/iat not in the
// future, each within `leeway`; iss equal to the configured issuer; aud
// containing the configured audience; token_type equal to the configured
// type; a non-empty sub.
//
// Every refusal is UNAUTHENTICATED with a short fixed message ("token
// expired", "unknown signing key", ...) that never repeats any part of the
// token, so messages can be returned to callers and logged.
#ifndef AGORA_LIBS_AUTH_JWT_VERIFIER_H_
#define AGORA_LIBS_AUTH_JWT_VERIFIER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/claims.h"
#include "libs/auth/key_set.h"
#include "libs/auth/key_source.h"

namespace agora::auth {

struct JwtVerifierOptions {
  // Required "iss" and an "aud" member the tokens must carry. Empty values
  // match no token: a misconfigured verifier refuses everything.
  std::string issuer;
  std::string audience;
  // Required "token_type".
  std::string token_type = kAccessTokenType;
  // Tolerated clock difference between identity and this service.
  absl::Duration leeway = absl::Seconds(30);
  // A token naming an unknown kid makes the verifier refresh its key source,
  // at most once per this interval: forged kids cannot hammer identity.
  absl::Duration min_refresh_interval = absl::Seconds(30);
  // Current time; absl::Now when empty. Tests inject a fake.
  std::function<absl::Time()> clock;
  // Tokens that passed every check, kept (byte for byte) until they expire
  // so that a client presenting the same token again costs a hash lookup,
  // not an Ed25519 verification (about 0.12 ms of CPU). 0 disables it.
  size_t cache_size = 20000;
};

class JwtVerifier {
 public:
  // `keys` must not be null (a null source makes every Verify INTERNAL).
  JwtVerifier(JwtVerifierOptions options, std::shared_ptr<KeySource> keys);
  JwtVerifier(const JwtVerifier&) = delete;
  JwtVerifier& operator=(const JwtVerifier&) = delete;

  // The claims of `token` if it passes every check above. When its kid is
  // not in the current key set, refreshes the key source once (subject to
  // min_refresh_interval) and looks again; the verifying thread waits for
  // that refresh.
  absl::StatusOr<Claims> Verify(absl::string_view token) const
      ABSL_LOCKS_EXCLUDED(refresh_mutex_);

  const JwtVerifierOptions& options() const { return options_; }

 private:
  absl::Time Now() const;

  // The key set after refreshing the source for `kid` if allowed; the current
  // set when another thread's refresh already brought `kid` in, or when the
  // last refresh is too recent.
  std::shared_ptr<const KeySet> KeysAfterRefresh(absl::string_view kid) const
      ABSL_LOCKS_EXCLUDED(refresh_mutex_);

  const JwtVerifierOptions options_;
  const std::shared_ptr<KeySource> keys_;
  // Serialises refreshes: threads that meet the same new kid wait for one
  // refresh instead of each starting their own.
  mutable absl::Mutex refresh_mutex_;
  mutable absl::Time last_refresh_ ABSL_GUARDED_BY(refresh_mutex_) =
      absl::InfinitePast();

  // The verified-token cache (see JwtVerifierOptions::cache_size); emptied
  // whole when full, which keeps it bounded without bookkeeping per hit.
  absl::StatusOr<Claims> VerifyUncached(absl::string_view token) const
      ABSL_LOCKS_EXCLUDED(refresh_mutex_);
  mutable absl::Mutex cache_mutex_;
  mutable absl::flat_hash_map<std::string, Claims> cache_
      ABSL_GUARDED_BY(cache_mutex_);
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWT_VERIFIER_H_
