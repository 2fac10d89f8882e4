// The verifier of the services that read identity's keys from a JWKS file
// (deploy/up writes it; Kubernetes mounts it from a ConfigMap): the file is
// read at start and again whenever a token names a key id not in it, so a
// rotated key is picked up without a restart.
#ifndef AGORA_LIBS_AUTH_JWKS_FILE_H_
#define AGORA_LIBS_AUTH_JWKS_FILE_H_

#include <memory>
#include <string>

#include "libs/auth/jwt_verifier.h"

namespace agora::auth {

// A verifier of tokens with `issuer` and `audience` against the keys of the
// JWKS file at `path`. An empty path or an unreadable file leaves it with
// no keys (every token refused, logged) until the file appears.
std::unique_ptr<JwtVerifier> VerifierFromJwksFile(const std::string& path,
                                                  const std::string& issuer,
                                                  const std::string& audience);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWKS_FILE_H_
