// Asking a server the gRPC health checking protocol's question from a test.
#ifndef AGORA_TESTS_HARNESS_HEALTH_PROBE_H_
#define AGORA_TESTS_HARNESS_HEALTH_PROBE_H_

#include <grpcpp/channel.h>

#include <memory>
#include <optional>

#include "absl/time/time.h"
#include "health/v1/health.pb.h"

namespace agora::testing {

using ServingStatus = grpc::health::v1::HealthCheckResponse::ServingStatus;

// The overall status (service "") of the server behind `channel`, waiting
// for it to answer at all up to `timeout`; nullopt if it never does.
std::optional<ServingStatus> HealthOf(
    const std::shared_ptr<grpc::Channel>& channel,
    absl::Duration timeout = absl::Seconds(5));

// True once the server reports `wanted`, false if it still does not after
// `timeout`. A service listens before its first dependency check has passed,
// so it reports NOT_SERVING for a moment after start: tests wait for SERVING
// rather than expect it at the first answer.
bool WaitForHealth(const std::shared_ptr<grpc::Channel>& channel,
                   ServingStatus wanted, absl::Duration timeout);

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_HEALTH_PROBE_H_
