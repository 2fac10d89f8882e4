// The gRPC services behind the gateway, from configuration: a list of
// "<service name or package>=<address>" entries. One set of channels per
// entry (round_robin over every address the name resolves to, so a DNS
// name of several replicas is balanced), generic calls by method path, and
// the health of each, checked in the background with the gRPC health
// checking protocol.
#ifndef AGORA_GATEWAY_UPSTREAMS_H_
#define AGORA_GATEWAY_UPSTREAMS_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/generic/generic_stub.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace agora::gateway {

struct UpstreamConfig {
  // "agora.identity.v1" (every service of the package) or a service's full
  // name.
  std::string prefix;
  // gRPC target: "127.0.0.1:50051", "identity.agora.svc:50051",
  // "dns:///identity:50051".
  std::string address;
};

// "agora.identity.v1=127.0.0.1:50051,agora.ranking.v1=ranking:50053".
// INVALID_ARGUMENT naming the bad entry.
absl::StatusOr<std::vector<UpstreamConfig>> ParseUpstreams(
    absl::string_view spec);

class Upstream {
 public:
  Upstream(UpstreamConfig config, int channels);

  const std::string& prefix() const { return config_.prefix; }
  const std::string& address() const { return config_.address; }
  // The next stub, round robin over the channels.
  grpc::GenericStub& Stub();
  bool serving() const { return serving_.load(std::memory_order_relaxed); }

  // Asks the health service; updates serving().
  void CheckHealth(absl::Duration timeout);

 private:
  UpstreamConfig config_;
  std::vector<std::shared_ptr<grpc::Channel>> channels_;
  std::vector<std::unique_ptr<grpc::GenericStub>> stubs_;
  std::atomic<size_t> next_{0};
  std::atomic<bool> serving_{false};
};

class Upstreams {
 public:
  Upstreams(const std::vector<UpstreamConfig>& configs, int channels);
  ~Upstreams();

  // The upstream serving `service_full_name` (longest prefix), or nullptr.
  Upstream* ForService(absl::string_view service_full_name) const;
  const std::vector<std::unique_ptr<Upstream>>& all() const {
    return upstreams_;
  }

  // Checks every upstream now, then every `interval` in a thread of its own
  // until destruction.
  void StartHealthChecks(absl::Duration interval);

 private:
  std::vector<std::unique_ptr<Upstream>> upstreams_;
  absl::Notification stop_;
  std::thread checker_;
};

// Bytes <-> grpc::ByteBuffer.
grpc::ByteBuffer ToByteBuffer(const std::string& bytes);
std::string FromByteBuffer(const grpc::ByteBuffer& buffer);

// A unary call through a generic stub; `done` runs on a gRPC thread with the
// status and the response bytes. `prepare` sets the deadline and metadata.
void CallUnary(grpc::GenericStub& stub, const std::string& method_path,
               std::string request,
               const std::function<void(grpc::ClientContext&)>& prepare,
               std::function<void(const grpc::Status&, std::string)> done);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_UPSTREAMS_H_
