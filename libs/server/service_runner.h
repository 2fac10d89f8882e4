// The one way to run an Agora service:
//   ServiceRunner runner("content", ServerOptionsFromFlags());
//   runner.AddService(&content_service);
//   runner.AddHealthCheck("postgres", [&] { return pool.Ping(); });
//   runner.AddHealthCheck("redis", [&] { return redis.Ping(); });
//   return runner.Run();  // until SIGTERM or SIGINT
//
// - gRPC health checking protocol: SERVING only while every health check
//   passes (checked every `health_interval`), NOT_SERVING at once on SIGTERM;
// - then, after `drain_grace` (load balancers and Kubernetes see the state
//   change and stop sending), stops accepting calls, lets in-flight calls
//   finish within `shutdown_deadline`, cancels the rest and returns;
// - server reflection, so grpcurl and similar tools work;
// - limits: max receive size, keepalive enforcement, max connection age
//   (clients re-resolve and spread over new replicas);
// - the call interceptor (request id, access log, metrics, caller);
// - Prometheus metrics on their own HTTP port.
#ifndef AGORA_LIBS_SERVER_SERVICE_RUNNER_H_
#define AGORA_LIBS_SERVER_SERVICE_RUNNER_H_

#include <grpcpp/server.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "libs/server/call_interceptor.h"
#include "libs/server/metrics.h"
#include "libs/server/metrics_endpoint.h"

namespace grpc {
class Service;
}  // namespace grpc

namespace agora::server {

struct ServerOptions {
  std::string listen_address = "0.0.0.0:50051";  // port 0 picks a free one
  std::string metrics_address = "0.0.0.0";
  int metrics_port = 9090;  // -1: no metrics endpoint
  int max_receive_bytes =
      4 * 1024 * 1024;               // larger requests: RESOURCE_EXHAUSTED
  int max_concurrent_streams = 256;  // per connection
  absl::Duration keepalive_min_client_interval = absl::Seconds(10);
  absl::Duration max_connection_idle = absl::Minutes(5);
  absl::Duration max_connection_age = absl::Minutes(10);
  absl::Duration max_connection_age_grace = absl::Seconds(30);
  absl::Duration health_interval = absl::Seconds(2);
  absl::Duration drain_grace = absl::Seconds(5);
  absl::Duration shutdown_deadline = absl::Seconds(20);
};

using HealthCheck = std::function<absl::Status()>;

class ServiceRunner {
 public:
  // Blocks SIGTERM and SIGINT in the calling thread and every thread started
  // after it, so that Run() can wait for them with sigwait: create the runner
  // at the top of main, before pools or servers start threads.
  ServiceRunner(std::string service_name, ServerOptions options);
  ServiceRunner(const ServiceRunner&) = delete;
  ServiceRunner& operator=(const ServiceRunner&) = delete;
  ~ServiceRunner();

  // Not owned; must outlive the runner. Call before Start().
  void AddService(grpc::Service* service);
  // A dependency that must answer for the service to be SERVING.
  void AddHealthCheck(std::string name, HealthCheck check);
  // How the access log names callers (see CallInterceptorFactory).
  void SetCallerDescriber(CallerDescriber describe);

  MetricsRegistry& metrics() { return metrics_; }

  // Builds and starts the server, the health checker and the metrics port.
  absl::Status Start();
  // The bound gRPC port (after Start).
  int port() const { return port_; }
  int metrics_port() const { return metrics_endpoint_.port(); }

  // NOT_SERVING now, then drain and stop as described above. Idempotent.
  void Shutdown();

  // Start(), wait for SIGTERM/SIGINT, Shutdown(). Returns the process exit
  // code: 0 after a clean shutdown, 1 when the server could not start.
  int Run();

 private:
  void CheckHealth();
  void HealthLoop();

  const std::string service_name_;
  const ServerOptions options_;
  std::vector<grpc::Service*> services_;
  std::vector<std::pair<std::string, HealthCheck>> health_checks_;
  CallerDescriber describe_caller_;
  MetricsRegistry metrics_;
  RpcMetrics rpc_metrics_{metrics_};
  MetricsEndpoint metrics_endpoint_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::atomic<bool> serving_ = false;
  std::atomic<bool> shutting_down_ = false;
  absl::Notification stop_health_;
  std::thread health_thread_;
};

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_SERVICE_RUNNER_H_
