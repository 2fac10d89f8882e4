#include "libs/server/service_runner.h"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <signal.h>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/logging/log.h"

namespace agora::server {
namespace {

sigset_t TerminationSignals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

int Millis(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

}  // namespace

ServiceRunner::ServiceRunner(std::string service_name, ServerOptions options)
    : service_name_(std::move(service_name)),
      options_(std::move(options)),
      metrics_endpoint_([this] { return metrics_.Render(); }) {
  const sigset_t signals = TerminationSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

ServiceRunner::~ServiceRunner() { Shutdown(); }

void ServiceRunner::AddService(grpc::Service* service) {
  services_.push_back(service);
}

void ServiceRunner::AddHealthCheck(std::string name, HealthCheck check) {
  health_checks_.emplace_back(std::move(name), std::move(check));
}

void ServiceRunner::SetCallerDescriber(CallerDescriber describe) {
  describe_caller_ = std::move(describe);
}

absl::Status ServiceRunner::Start() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  // Plain-text inside the cluster; TLS terminates at the mesh or ingress.
  builder.AddListeningPort(options_.listen_address,
                           grpc::InsecureServerCredentials(), &port_);
  for (grpc::Service* service : services_) builder.RegisterService(service);
  builder.SetMaxReceiveMessageSize(options_.max_receive_bytes);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options_.max_concurrent_streams);
  // Keepalive enforcement: clients pinging more often than this are sent
  // GOAWAY (ENHANCE_YOUR_CALM) after two strikes.
  builder.AddChannelArgument(
      GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS,
      Millis(options_.keepalive_min_client_interval));
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 2);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_IDLE_MS,
                             Millis(options_.max_connection_idle));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                             Millis(options_.max_connection_age));
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                             Millis(options_.max_connection_age_grace));
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(
      std::make_unique<CallInterceptorFactory>(rpc_metrics_, describe_caller_));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen_address));
  }
  // The default health service starts out SERVING; nothing is checked yet.
  server_->GetHealthCheckService()->SetServingStatus(false);
  metrics_.AddGauge("agora_serving", "1 while the service reports SERVING.",
                    [this] { return serving_ ? 1.0 : 0.0; });
  if (options_.metrics_port >= 0) {
    absl::Status metrics = metrics_endpoint_.Start(options_.metrics_address,
                                                   options_.metrics_port);
    if (!metrics.ok()) return metrics;
  }
  CheckHealth();
  health_thread_ = std::thread([this] { HealthLoop(); });
  logging::Info("service started",
                {{"service", service_name_},
                 {"port", port_},
                 {"metrics_port", metrics_endpoint_.port()}});
  return absl::OkStatus();
}

void ServiceRunner::CheckHealth() {
  bool healthy = true;
  for (const auto& [name, check] : health_checks_) {
    absl::Status status = check();
    if (!status.ok()) {
      healthy = false;
      if (serving_) {
        logging::Warn("dependency unhealthy",
                      {{"dependency", name}, {"error", status.ToString()}});
      }
    }
  }
  if (shutting_down_) return;
  if (healthy != serving_.exchange(healthy) || !healthy) {
    server_->GetHealthCheckService()->SetServingStatus(healthy);
    if (healthy) logging::Info("serving", {{"service", service_name_}});
  }
}

void ServiceRunner::HealthLoop() {
  while (
      !stop_health_.WaitForNotificationWithTimeout(options_.health_interval)) {
    CheckHealth();
  }
}

void ServiceRunner::Shutdown() {
  if (server_ == nullptr || shutting_down_.exchange(true)) return;
  serving_ = false;
  // Health service Shutdown: NOT_SERVING for every service, now and for good.
  server_->GetHealthCheckService()->Shutdown();
  logging::Info(
      "draining",
      {{"service", service_name_},
       {"grace_ms", absl::ToInt64Milliseconds(options_.drain_grace)}});
  absl::SleepFor(options_.drain_grace);
  stop_health_.Notify();
  if (health_thread_.joinable()) health_thread_.join();
  // Stops accepting calls; in-flight calls get until the deadline, then are
  // cancelled.
  server_->Shutdown(
      absl::ToChronoTime(absl::Now() + options_.shutdown_deadline));
  server_->Wait();
  metrics_endpoint_.Stop();
  logging::Info("stopped", {{"service", service_name_}});
}

int ServiceRunner::Run() {
  absl::Status started = Start();
  if (!started.ok()) {
    logging::Error("service failed to start",
                   {{"service", service_name_}, {"error", started.ToString()}});
    return 1;
  }
  const sigset_t signals = TerminationSignals();
  int signal = 0;
  sigwait(&signals, &signal);
  logging::Info("termination signal", {{"signal", signal}});
  Shutdown();
  return 0;
}

}  // namespace agora::server
