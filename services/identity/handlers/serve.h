// Identity's handlers on the shared handler shape (libs/api/serve.h); the
// anonymous form also hands the domain the call's client facts (address,
// user agent) that sign-in throttling and audit records need.
#ifndef AGORA_SERVICES_IDENTITY_HANDLERS_SERVE_H_
#define AGORA_SERVICES_IDENTITY_HANDLERS_SERVE_H_

#include <utility>

#include "libs/api/serve.h"
#include "services/identity/domain/call_info.h"

namespace agora::identity {

// For RPCs that need a signed-in caller: `domain(principal)`.
template <typename Response, typename Domain>
grpc::Status Serve(grpc::ServerContext* context,
                   const auth::JwtVerifier& verifier, Response* response,
                   Domain&& domain) {
  return api::Serve("identity", context, verifier, response,
                    std::forward<Domain>(domain));
}

// For RPCs anonymous callers may make: `domain(optional principal, call)`.
template <typename Response, typename Domain>
grpc::Status ServeOptional(grpc::ServerContext* context,
                           const auth::JwtVerifier& verifier,
                           Response* response, Domain&& domain) {
  const CallInfo call = CallInfoOf(*context);
  return api::ServeOptional("identity", context, verifier, response,
                            [&](const auth::Principal* principal) {
                              return domain(principal, call);
                            });
}

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_HANDLERS_SERVE_H_
