// Proof Key for Code Exchange (RFC 7636), S256 only: the authorization code
// is useless to whoever intercepts it without the verifier we keep.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_PKCE_H_
#define AGORA_SERVICES_IDENTITY_OIDC_PKCE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::identity::oidc {

struct Pkce {
  // Kept server-side with the sign-in attempt; sent only to the token endpoint.
  std::string verifier;
  // Sent in the authorization URL: BASE64URL(SHA256(verifier)).
  std::string challenge;
};

// A fresh verifier (32 random bytes, 43 characters) and its S256 challenge.
Pkce NewPkce();

// BASE64URL-ENCODE(SHA256(ASCII(verifier))), unpadded (RFC 7636 4.2).
std::string PkceChallenge(absl::string_view verifier);

// True when `verifier` has RFC 7636's form: 43 to 128 characters among
// [A-Z a-z 0-9 - . _ ~].
bool IsValidPkceVerifier(absl::string_view verifier);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_PKCE_H_
