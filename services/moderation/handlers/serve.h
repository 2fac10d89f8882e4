// Moderation's handlers on the shared handler shape (libs/api/serve.h):
// every moderation RPC needs a signed-in caller.
#ifndef AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_
#define AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_

#include <utility>

#include "libs/api/serve.h"

namespace agora::moderation {

// Runs `domain(principal)`, which returns absl::StatusOr<Response>, and
// moves its value into `*response`.
template <typename Response, typename Domain>
grpc::Status Serve(grpc::ServerContext* context,
                   const auth::JwtVerifier& verifier, Response* response,
                   Domain&& domain) {
  return api::Serve("moderation", context, verifier, response,
                    std::forward<Domain>(domain));
}

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_
