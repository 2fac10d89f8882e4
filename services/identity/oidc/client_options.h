// How the OpenID Connect client reaches providers and caches their keys.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_CLIENT_OPTIONS_H_
#define AGORA_SERVICES_IDENTITY_OIDC_CLIENT_OPTIONS_H_

#include <cstddef>
#include <string>

#include "absl/time/time.h"

namespace agora::identity::oidc {

struct HttpOptions {
  // PEM file of the certificate authorities to trust instead of the system's
  // (tests point it at their provider's self-signed certificate).
  std::string ca_file;
  // A sign-in waits on these: a slow provider must fail fast, not hold a
  // request thread.
  absl::Duration connect_timeout = absl::Seconds(3);
  absl::Duration timeout = absl::Seconds(5);
  // Larger answers are refused (UNAVAILABLE) without being read to the end:
  // provider answers are a few kilobytes.
  size_t max_response_bytes = 1 << 20;
};

// How ID tokens are verified: key caching and clock skew.
struct VerifierOptions {
  // A token whose kid is not in the cached JWKS makes us fetch the JWKS again
  // (the provider rotated its keys), but not more often than this, so forged
  // tokens with random kids cannot turn us into a flood of JWKS requests.
  absl::Duration min_jwks_refresh = absl::Seconds(30);
  // Cached keys are fetched again after this, so a key the provider withdrew
  // stops being trusted. If that fetch fails, the stale keys are still used.
  absl::Duration jwks_max_age = absl::Hours(1);
  // Clock skew allowed when checking exp, iat and nbf.
  absl::Duration leeway = absl::Seconds(60);
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_CLIENT_OPTIONS_H_
