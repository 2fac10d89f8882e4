// Ranking's handlers on the shared handler shape (libs/api/serve.h).
#ifndef AGORA_SERVICES_RANKING_HANDLERS_SERVE_H_
#define AGORA_SERVICES_RANKING_HANDLERS_SERVE_H_

#include <utility>

#include "libs/api/serve.h"

namespace agora::ranking {

inline constexpr char kService[] = "ranking";

// For RPCs that need a signed-in caller: `domain(principal)`.
template <typename Response, typename Domain>
grpc::Status Serve(grpc::ServerContextBase* context,
                   const auth::JwtVerifier& verifier, Response* response,
                   Domain&& domain) {
  return api::Serve(kService, context, verifier, response,
                    std::forward<Domain>(domain));
}

// For RPCs anonymous callers may make: `domain(principal or nullptr)`.
template <typename Response, typename Domain>
grpc::Status ServeOptional(grpc::ServerContextBase* context,
                           const auth::JwtVerifier& verifier,
                           Response* response, Domain&& domain) {
  return api::ServeOptional(kService, context, verifier, response,
                            std::forward<Domain>(domain));
}

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_HANDLERS_SERVE_H_
