// agora-healthcheck: asks a gRPC server's health service whether it is
// SERVING, optionally waiting for it. Exit code 0 when SERVING, 1 when not,
// 2 on usage errors. deploy/up uses it to wait for each service; Kubernetes
// probes use the native gRPC probe instead.
//   agora-healthcheck --address=127.0.0.1:50052 [--service=NAME] [--wait=30s]
#include <grpcpp/grpcpp.h>

#include <cstdio>

#include "absl/flags/flag.h"
#include "absl/time/clock.h"
#include "health/v1/health.grpc.pb.h"
#include "libs/config/flags.h"

ABSL_FLAG(std::string, address, "", "host:port of the gRPC server");
ABSL_FLAG(std::string, service, "",
          "service name; empty means the whole server");
ABSL_FLAG(absl::Duration, wait, absl::ZeroDuration(),
          "keep asking until SERVING or this much time has passed");

namespace {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

const char* StatusName(HealthCheckResponse::ServingStatus status) {
  switch (status) {
    case HealthCheckResponse::SERVING:
      return "SERVING";
    case HealthCheckResponse::NOT_SERVING:
      return "NOT_SERVING";
    case HealthCheckResponse::SERVICE_UNKNOWN:
      return "SERVICE_UNKNOWN";
    default:
      return "UNKNOWN";
  }
}

}  // namespace

int main(int argc, char** argv) {
  agora::config::ParseFlags(argc, argv,
                            "agora-healthcheck --address=host:port");
  const std::string address = absl::GetFlag(FLAGS_address);
  if (address.empty()) {
    std::fprintf(stderr, "agora-healthcheck: --address is required\n");
    return 2;
  }
  HealthCheckRequest request;
  request.set_service(absl::GetFlag(FLAGS_service));
  const absl::Time give_up = absl::Now() + absl::GetFlag(FLAGS_wait);
  std::string last = "no answer";
  do {
    // A fresh channel (with subchannels of its own) per attempt: a channel
    // whose connection was refused while the server started would otherwise
    // wait out its reconnect back-off, seconds after the server is up.
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateCustomChannel(
        address, grpc::InsecureChannelCredentials(), args));
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
    // Wait for a connection (within the deadline) rather than failing fast
    // while the channel backs off after an early refused connection.
    context.set_wait_for_ready(true);
    HealthCheckResponse response;
    grpc::Status status = stub->Check(&context, request, &response);
    if (status.ok() && response.status() == HealthCheckResponse::SERVING) {
      std::printf("%s SERVING\n", address.c_str());
      return 0;
    }
    last = status.ok() ? StatusName(response.status()) : status.error_message();
    if (absl::Now() < give_up) absl::SleepFor(absl::Milliseconds(200));
  } while (absl::Now() < give_up);
  std::printf("%s not serving: %s\n", address.c_str(), last.c_str());
  return 1;
}
