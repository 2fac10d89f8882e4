// The principal of a gRPC call, from its "authorization" metadata
// ("Bearer <token>", RFC 6750; the scheme is case-insensitive). Handlers call
// these first; the server's principal interceptor uses the same functions.
#ifndef AGORA_LIBS_AUTH_AUTHENTICATE_H_
#define AGORA_LIBS_AUTH_AUTHENTICATE_H_

#include <grpcpp/server_context.h>

#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/auth/principal.h"

namespace agora::auth {

// The principal of an authorization header value (nullopt: no header).
// UNAUTHENTICATED "missing bearer token" when there is no header or no token
// after the scheme, "unsupported authorization scheme" for a scheme other
// than Bearer, or the verifier's refusal. Never echoes the header.
absl::StatusOr<Principal> AuthenticateAuthorizationHeader(
    std::optional<absl::string_view> header, const JwtVerifier& verifier);

// The principal of the call, which must carry one valid bearer token. More
// than one "authorization" entry is refused: which one counts would be a
// guess.
absl::StatusOr<Principal> AuthenticateCall(
    const grpc::ServerContextBase& context, const JwtVerifier& verifier);

// For public reads: nullopt when the call carries no "authorization" entry
// (anonymous), the principal when it carries a valid token, and
// UNAUTHENTICATED when it carries one that is invalid. A bad token is never
// downgraded to anonymous: the client should learn it must sign in again.
absl::StatusOr<std::optional<Principal>> AuthenticateOptional(
    const grpc::ServerContextBase& context, const JwtVerifier& verifier);

// How the access log names the caller of a call with this authorization
// header: "<tenant>/<subject>" for a valid token, "invalid-token" for a bad
// one, "" for none. For server::ServiceRunner::SetCallerDescriber:
//   runner.SetCallerDescriber([&](absl::string_view header) {
//     return auth::DescribeCaller(header, verifier);
//   });
// Never returns any part of an unverified token.
std::string DescribeCaller(absl::string_view authorization_header,
                           const JwtVerifier& verifier);

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_AUTHENTICATE_H_
