// The shape of every RPC handler of every service: authenticate the caller
// (or let an anonymous one through where the contract allows), run the
// domain function, move its answer into the response and turn its
// absl::Status into the gRPC status. No library exception escapes:
// anything thrown below is converted here, never a crash. Header-only: the
// service that includes it links auth, pg, logging, server and status.
// The context may be a synchronous handler's (grpc::ServerContext) or a
// callback handler's (grpc::CallbackServerContext, which then passes the
// returned status to its reactor's Finish).
#ifndef AGORA_LIBS_API_SERVE_H_
#define AGORA_LIBS_API_SERVE_H_

#include <grpcpp/server_context.h>

#include <exception>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "libs/auth/authenticate.h"
#include "libs/auth/jwt_verifier.h"
#include "libs/logging/log.h"
#include "libs/pg/errors.h"
#include "libs/server/request_context.h"
#include "libs/status/grpc_status.h"

namespace agora::api {

// Runs `domain()`, which returns absl::StatusOr<Response>; `service` names
// the service in the log line of an unexpected exception.
template <typename Response, typename Domain>
grpc::Status RunDomain(absl::string_view service,
                       grpc::ServerContextBase* context, Response* response,
                       Domain&& domain) {
  try {
    absl::StatusOr<Response> result = domain();
    if (!result.ok()) return status::ToGrpcStatus(result.status());
    *response = *std::move(result);
    return grpc::Status::OK;
  } catch (const std::exception& error) {
    const absl::Status status = pg::StatusFromException(error);
    logging::Error(absl::StrCat(service, ": unexpected exception"),
                   {{"request_id", server::RequestId(*context)},
                    {"error", status.ToString()}});
    return status::ToGrpcStatus(status.code() == absl::StatusCode::kUnavailable
                                    ? status
                                    : absl::InternalError("internal error"));
  }
}

// For RPCs that need a signed-in caller: `domain(principal)`.
template <typename Response, typename Domain>
grpc::Status Serve(absl::string_view service, grpc::ServerContextBase* context,
                   const auth::JwtVerifier& verifier, Response* response,
                   Domain&& domain) {
  absl::StatusOr<auth::Principal> principal =
      auth::AuthenticateCall(*context, verifier);
  if (!principal.ok()) return status::ToGrpcStatus(principal.status());
  return RunDomain(service, context, response,
                   [&] { return domain(*principal); });
}

// For RPCs anonymous callers may make: `domain(principal or nullptr)`. A
// present but invalid token is refused, never downgraded to anonymous.
template <typename Response, typename Domain>
grpc::Status ServeOptional(absl::string_view service,
                           grpc::ServerContextBase* context,
                           const auth::JwtVerifier& verifier,
                           Response* response, Domain&& domain) {
  absl::StatusOr<std::optional<auth::Principal>> principal =
      auth::AuthenticateOptional(*context, verifier);
  if (!principal.ok()) return status::ToGrpcStatus(principal.status());
  return RunDomain(service, context, response, [&] {
    return domain(principal->has_value() ? &**principal : nullptr);
  });
}

}  // namespace agora::api

#endif  // AGORA_LIBS_API_SERVE_H_
