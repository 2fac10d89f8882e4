#include "libs/server/call_interceptor.h"

#include <utility>

#include "absl/time/clock.h"
#include "libs/logging/log.h"
#include "libs/server/request_context.h"

namespace agora::server {
namespace {

using grpc::experimental::InterceptionHookPoints;

const char* CodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK:
      return "OK";
    case grpc::StatusCode::CANCELLED:
      return "CANCELLED";
    case grpc::StatusCode::UNKNOWN:
      return "UNKNOWN";
    case grpc::StatusCode::INVALID_ARGUMENT:
      return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND:
      return "NOT_FOUND";
    case grpc::StatusCode::ALREADY_EXISTS:
      return "ALREADY_EXISTS";
    case grpc::StatusCode::PERMISSION_DENIED:
      return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION:
      return "FAILED_PRECONDITION";
    case grpc::StatusCode::ABORTED:
      return "ABORTED";
    case grpc::StatusCode::OUT_OF_RANGE:
      return "OUT_OF_RANGE";
    case grpc::StatusCode::UNIMPLEMENTED:
      return "UNIMPLEMENTED";
    case grpc::StatusCode::INTERNAL:
      return "INTERNAL";
    case grpc::StatusCode::UNAVAILABLE:
      return "UNAVAILABLE";
    case grpc::StatusCode::DATA_LOSS:
      return "DATA_LOSS";
    case grpc::StatusCode::UNAUTHENTICATED:
      return "UNAUTHENTICATED";
    default:
      return "UNKNOWN";
  }
}

class CallInterceptor final : public grpc::experimental::Interceptor {
 public:
  CallInterceptor(grpc::experimental::ServerRpcInfo* info, RpcMetrics& metrics,
                  const CallerDescriber& describe_caller)
      : method_(info->method()),
        metrics_(metrics),
        describe_caller_(describe_caller) {}

  void Intercept(
      grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      OnMetadata(*methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      methods->GetSendInitialMetadata()->emplace(kRequestIdHeader, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(
            InterceptionHookPoints::PRE_SEND_STATUS)) {
      OnStatus(methods->GetSendStatus());
    }
    methods->Proceed();
  }

 private:
  void OnMetadata(std::multimap<grpc::string_ref, grpc::string_ref>& metadata) {
    start_ = absl::Now();
    auto id = metadata.find(kRequestIdHeader);
    if (id != metadata.end() && IsAcceptableRequestId(absl::string_view(
                                    id->second.data(), id->second.size()))) {
      request_id_.assign(id->second.data(), id->second.size());
    } else {
      if (id != metadata.end()) metadata.erase(id);
      request_id_ = NewRequestId();
      // The handler reads the id from client metadata: this string lives as
      // long as the interceptor, which is as long as the call.
      metadata.emplace(kRequestIdHeader, request_id_);
    }
    auto authorization = metadata.find("authorization");
    if (authorization != metadata.end() && describe_caller_) {
      caller_ = describe_caller_(absl::string_view(
          authorization->second.data(), authorization->second.size()));
    }
  }

  void OnStatus(const grpc::Status& status) {
    const double seconds = absl::ToDoubleSeconds(absl::Now() - start_);
    const char* code = CodeName(status.error_code());
    metrics_.handled.Increment({method_, code});
    metrics_.latency.Observe({method_}, seconds);
    const logging::Level level =
        status.error_code() == grpc::StatusCode::INTERNAL ||
                status.error_code() == grpc::StatusCode::UNKNOWN ||
                status.error_code() == grpc::StatusCode::DATA_LOSS
            ? logging::Level::kError
            : logging::Level::kInfo;
    logging::Log(
        level, "rpc",
        {{"method", method_},
         {"code", code},
         {"duration_ms", seconds * 1000},
         {"request_id", request_id_},
         {"caller", caller_.empty() ? std::string("anonymous") : caller_},
         {"error", status.error_message()}});
  }

  const std::string method_;
  RpcMetrics& metrics_;
  const CallerDescriber& describe_caller_;
  absl::Time start_ = absl::Now();
  std::string request_id_;
  std::string caller_;
};

}  // namespace

RpcMetrics::RpcMetrics(MetricsRegistry& registry)
    : handled(registry.AddCounter(
          "grpc_server_handled_total",
          "RPCs completed on the server, by method and code.",
          {"grpc_method", "grpc_code"})),
      latency(registry.AddHistogram("grpc_server_handling_seconds",
                                    "Time to handle an RPC, by method.",
                                    {"grpc_method"}, LatencyBuckets())) {}

CallInterceptorFactory::CallInterceptorFactory(RpcMetrics& metrics,
                                               CallerDescriber describe_caller)
    : metrics_(metrics), describe_caller_(std::move(describe_caller)) {}

grpc::experimental::Interceptor*
CallInterceptorFactory::CreateServerInterceptor(
    grpc::experimental::ServerRpcInfo* info) {
  // gRPC takes ownership of the interceptor and deletes it after the call.
  return new CallInterceptor(info, metrics_, describe_caller_);
}

}  // namespace agora::server
