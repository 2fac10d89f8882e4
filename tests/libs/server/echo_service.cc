#include "tests/libs/server/echo_service.h"

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "libs/server/request_context.h"
#include "libs/status/grpc_status.h"

namespace agora::testing {
namespace {

absl::Status Validate(const v1::EchoRequest& request) {
  if (request.message().empty()) {
    return absl::InvalidArgumentError("message: required");
  }
  if (request.message().size() > 1000) {
    return absl::InvalidArgumentError("message: at most 1000 characters");
  }
  if (request.delay_ms() < 0 || request.delay_ms() > 10000) {
    return absl::InvalidArgumentError("delay_ms: must be 0-10000");
  }
  return absl::OkStatus();
}

}  // namespace

grpc::Status EchoService::Echo(grpc::ServerContext* context,
                               const v1::EchoRequest* request,
                               v1::EchoResponse* response) {
  if (absl::Status valid = Validate(*request); !valid.ok()) {
    return status::ToGrpcStatus(valid);
  }
  absl::SleepFor(absl::Milliseconds(request->delay_ms()));
  response->set_message(request->message());
  response->set_request_id(server::RequestId(*context));
  return grpc::Status::OK;
}

}  // namespace agora::testing
