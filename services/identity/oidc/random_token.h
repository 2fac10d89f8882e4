// Unguessable tokens for the sign-in flow (state, nonce, PKCE verifier).
#ifndef AGORA_SERVICES_IDENTITY_OIDC_RANDOM_TOKEN_H_
#define AGORA_SERVICES_IDENTITY_OIDC_RANDOM_TOKEN_H_

#include <cstddef>
#include <string>

namespace agora::identity::oidc {

// `bytes` bytes from OpenSSL's CSPRNG (RAND_bytes), base64url-encoded without
// padding: 32 bytes give 43 characters, all of them URL-safe. `bytes` is
// clamped to [1, 1024]. Aborts the process if the CSPRNG fails: a predictable
// state or verifier would be worse than no sign-in at all.
std::string RandomUrlSafeToken(size_t bytes = 32);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_RANDOM_TOKEN_H_
