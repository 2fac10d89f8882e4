#include "tests/harness/health_probe.h"

#include <grpcpp/client_context.h>

#include "absl/time/clock.h"
#include "health/v1/health.grpc.pb.h"

namespace agora::testing {

std::optional<ServingStatus> HealthOf(
    const std::shared_ptr<grpc::Channel>& channel, absl::Duration timeout) {
  grpc::ClientContext context;
  context.set_wait_for_ready(true);
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  grpc::health::v1::HealthCheckResponse response;
  auto stub = grpc::health::v1::Health::NewStub(channel);
  if (!stub->Check(&context, grpc::health::v1::HealthCheckRequest(), &response)
           .ok()) {
    return std::nullopt;
  }
  return response.status();
}

bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel,
                   ServingStatus wanted, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return false;
    if (HealthOf(channel, left) == wanted) return true;
    absl::SleepFor(absl::Milliseconds(20));
  }
}

}  // namespace agora::testing
