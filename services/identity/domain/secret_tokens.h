// The random secrets identity hands out (refresh tokens, e-mail and link
// tokens, flow states, service-account secrets) and the only form in which
// it keeps them: their SHA-256. These secrets carry 256 bits of entropy, so
// a fast hash is enough to make a stolen table useless; passwords, which
// people choose, get argon2id instead (password_hasher.h).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SECRET_TOKENS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SECRET_TOKENS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

// base64url without padding of `bytes` random bytes from OpenSSL's CSPRNG
// (32 bytes: 43 characters).
std::string NewSecretToken(size_t bytes = 32);

// The 32 raw bytes of SHA-256(token): the stored and looked-up form.
std::string HashSecretToken(absl::string_view token);

// INVALID_ARGUMENT naming `field` unless `token` is `min`-`max` URL-safe
// characters: checked before any look-up.
absl::Status ValidateSecretTokenFormat(absl::string_view field,
                                       absl::string_view token, int min = 43,
                                       int max = 128);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SECRET_TOKENS_H_
