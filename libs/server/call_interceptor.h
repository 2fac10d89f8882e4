// One server interceptor for every RPC of every Agora service:
// - request id: keeps a valid x-request-id from the caller or generates one,
//   makes it visible to the handler (RequestId(context)) and returns it in
//   the response's initial metadata;
// - principal: who called, for the log (the handler still authenticates);
// - access log: one JSON line per call with method, code, duration, caller;
// - metrics: calls by method and code, latency histogram by method.
#ifndef AGORA_LIBS_SERVER_CALL_INTERCEPTOR_H_
#define AGORA_LIBS_SERVER_CALL_INTERCEPTOR_H_

#include <grpcpp/support/server_interceptor.h>

#include <functional>
#include <string>

#include "absl/strings/string_view.h"
#include "libs/server/metrics.h"

namespace agora::server {

// Describes the caller of a call from its authorization metadata (empty when
// anonymous or invalid), e.g. "fr/member/m-42". Set by services that verify
// tokens; must be cheap and must never return the token itself.
using CallerDescriber =
    std::function<std::string(absl::string_view authorization)>;

struct RpcMetrics {
  explicit RpcMetrics(MetricsRegistry& registry);
  CounterFamily& handled;    // grpc_server_handled_total{grpc_method,grpc_code}
  HistogramFamily& latency;  // grpc_server_handling_seconds{grpc_method}
};

class CallInterceptorFactory
    : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  CallInterceptorFactory(RpcMetrics& metrics, CallerDescriber describe_caller);

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override;

 private:
  RpcMetrics& metrics_;
  CallerDescriber describe_caller_;
};

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_CALL_INTERCEPTOR_H_
