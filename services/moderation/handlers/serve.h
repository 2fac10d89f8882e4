// The shape of every moderation RPC handler: authenticate the caller, run
// the domain function, copy its answer into the response, and turn its
// absl::Status into the gRPC status. No library exception escapes: anything
// thrown below is converted here (pg::StatusFromException), never a crash.
#ifndef AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_
#define AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_

#include <grpcpp/server_context.h>

#include <exception>
#include <utility>

#include "absl/status/statusor.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"
#include "libs/server/request_context.h"
#include "libs/status/grpc_status.h"

namespace agora::moderation {

// Runs `domain(principal)`, which returns absl::StatusOr<Response>, and
// moves its value into `*response`.
template <typename Response, typename Domain>
grpc::Status Serve(grpc::ServerContext* context,
                   const auth::JwtVerifier& verifier, Response* response,
                   Domain&& domain) {
  try {
    absl::StatusOr<auth::Principal> principal =
        auth::AuthenticateCall(*context, verifier);
    if (!principal.ok()) return status::ToGrpcStatus(principal.status());
    absl::StatusOr<Response> result = domain(*principal);
    if (!result.ok()) return status::ToGrpcStatus(result.status());
    *response = *std::move(result);
    return grpc::Status::OK;
  } catch (const std::exception& error) {
    const absl::Status status = pg::StatusFromException(error);
    logging::Error("moderation: unexpected exception",
                   {{"request_id", server::RequestId(*context)},
                    {"error", status.ToString()}});
    return status::ToGrpcStatus(status.code() == absl::StatusCode::kUnavailable
                                    ? status
                                    : absl::InternalError("internal error"));
  }
}

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_HANDLERS_SERVE_H_
