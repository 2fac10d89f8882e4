#include "gateway/upstreams.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "libs/logging/log.h"

namespace agora::gateway {

absl::StatusOr<std::vector<UpstreamConfig>> ParseUpstreams(
    absl::string_view spec) {
  std::vector<UpstreamConfig> configs;
  for (absl::string_view entry : absl::StrSplit(spec, ',', absl::SkipEmpty())) {
    entry = absl::StripAsciiWhitespace(entry);
    const size_t equals = entry.find('=');
    if (equals == absl::string_view::npos || equals == 0 ||
        equals + 1 == entry.size()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "upstreams: \"", entry, "\" is not <service or package>=<address>"));
    }
    configs.push_back({std::string(entry.substr(0, equals)),
                       std::string(entry.substr(equals + 1))});
  }
  return configs;
}

grpc::ByteBuffer ToByteBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

namespace {

struct UnaryCallState {
  grpc::ClientContext context;
  grpc::ByteBuffer request;
  grpc::ByteBuffer response;
  std::function<void(const grpc::Status&, std::string)> done;
};

}  // namespace

void CallUnary(grpc::GenericStub& stub, const std::string& method_path,
               std::string request,
               const std::function<void(grpc::ClientContext&)>& prepare,
               std::function<void(const grpc::Status&, std::string)> done) {
  auto state = std::make_shared<UnaryCallState>();
  state->request = ToByteBuffer(request);
  state->done = std::move(done);
  prepare(state->context);
  stub.UnaryCall(
      &state->context, method_path, grpc::StubOptions(), &state->request,
      &state->response, [state](grpc::Status status) {
        state->done(status, status.ok() ? FromByteBuffer(state->response)
                                        : std::string());
      });
}

Upstream::Upstream(UpstreamConfig config, int channels)
    : config_(std::move(config)) {
  for (int i = 0; i < std::max(1, channels); ++i) {
    grpc::ChannelArguments args;
    args.SetLoadBalancingPolicyName("round_robin");
    // Several channels only help if each has connections of its own.
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
    channels_.push_back(grpc::CreateCustomChannel(
        config_.address, grpc::InsecureChannelCredentials(), args));
    stubs_.push_back(std::make_unique<grpc::GenericStub>(channels_.back()));
  }
}

grpc::GenericStub& Upstream::Stub() {
  return *stubs_[next_.fetch_add(1, std::memory_order_relaxed) % stubs_.size()];
}

void Upstream::CheckHealth(absl::Duration timeout) {
  // grpc.health.v1.HealthCheckRequest{service: ""} is the empty message; the
  // response's field 1 (varint) is the status, 1 = SERVING.
  absl::Notification done;
  bool serving = false;
  CallUnary(
      Stub(), "/grpc.health.v1.Health/Check", std::string(),
      [&](grpc::ClientContext& context) {
        context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
      },
      [&](const grpc::Status& status, std::string response) {
        serving = status.ok() && response == std::string("\x08\x01", 2);
        done.Notify();
      });
  done.WaitForNotification();
  const bool was = serving_.exchange(serving);
  if (was != serving) {
    logging::Info("upstream health changed",
                  {{"upstream", config_.prefix}, {"serving", serving}});
  }
}

Upstreams::Upstreams(const std::vector<UpstreamConfig>& configs, int channels) {
  for (const UpstreamConfig& config : configs) {
    upstreams_.push_back(std::make_unique<Upstream>(config, channels));
  }
}

Upstreams::~Upstreams() {
  stop_.Notify();
  if (checker_.joinable()) checker_.join();
}

Upstream* Upstreams::ForService(absl::string_view service_full_name) const {
  Upstream* best = nullptr;
  for (const std::unique_ptr<Upstream>& upstream : upstreams_) {
    const std::string& prefix = upstream->prefix();
    const bool matches = service_full_name == prefix ||
                         (absl::StartsWith(service_full_name, prefix) &&
                          service_full_name.size() > prefix.size() &&
                          service_full_name[prefix.size()] == '.');
    if (matches && (best == nullptr || prefix.size() > best->prefix().size())) {
      best = upstream.get();
    }
  }
  return best;
}

void Upstreams::StartHealthChecks(absl::Duration interval) {
  for (const std::unique_ptr<Upstream>& upstream : upstreams_) {
    upstream->CheckHealth(absl::Seconds(1));
  }
  checker_ = std::thread([this, interval] {
    while (!stop_.WaitForNotificationWithTimeout(interval)) {
      for (const std::unique_ptr<Upstream>& upstream : upstreams_) {
        upstream->CheckHealth(std::min(interval, absl::Seconds(1)));
      }
    }
  });
}

}  // namespace agora::gateway
