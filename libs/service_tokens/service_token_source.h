// Access tokens a service uses to call another on behalf of a tenant
// (content calls moderation's Screen with scope moderation.screen, the
// gateway resolves short links with scope share.resolve). Tokens are
// per tenant and short-lived; both sources cache each tenant's token until
// a minute before it expires, so a call costs no round trip.
#ifndef AGORA_LIBS_SERVICE_TOKENS_SERVICE_TOKEN_SOURCE_H_
#define AGORA_LIBS_SERVICE_TOKENS_SERVICE_TOKEN_SOURCE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/jwt_signer.h"

namespace grpc {
class Channel;
}

namespace agora::service_tokens {

// The bearer token for calls made for `tenant` (a tenant id, "fr").
using ServiceTokenSource =
    std::function<absl::StatusOr<std::string>(const std::string& tenant)>;

// Production: identity's OAuth client-credentials exchange
// (IdentityService.IssueServiceAccountToken) for a platform-wide service
// account ("serviceAccounts/content") and its secret. Each call to identity
// has `deadline`; its errors are returned as they are (UNAVAILABLE when
// identity is down).
ServiceTokenSource IdentityTokenSource(std::shared_ptr<grpc::Channel> identity,
                                       std::string service_account,
                                       std::string client_secret,
                                       std::vector<std::string> scopes,
                                       absl::Duration deadline);

// Development and tests: tokens signed here with `signer`'s key, which the
// callee must trust (its JWKS file lists the key). Never in production:
// whoever holds the key mints any token.
struct SignedTokenOptions {
  std::string subject;  // service account id, "content"
  std::vector<std::string> scopes;
  std::string issuer = "agora-identity";
  std::string audience = "agora";
  absl::Duration ttl = absl::Minutes(15);
};
ServiceTokenSource SignedTokenSource(
    std::shared_ptr<const auth::JwtSigner> signer, SignedTokenOptions options);

}  // namespace agora::service_tokens

#endif  // AGORA_LIBS_SERVICE_TOKENS_SERVICE_TOKEN_SOURCE_H_
