#include "libs/server/server_flags.h"

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"

ABSL_FLAG(std::string, listen, "",
          "gRPC listen address host:port (default 0.0.0.0:<service port>)");
ABSL_FLAG(int, metrics_port, 0,
          "Prometheus /metrics HTTP port; 0 picks a free port, -1 disables");
ABSL_FLAG(int, max_receive_bytes, 4 * 1024 * 1024,
          "Largest request accepted, in bytes");
ABSL_FLAG(absl::Duration, drain_grace, absl::Seconds(5),
          "Time between NOT_SERVING and closing the listener on SIGTERM");
ABSL_FLAG(absl::Duration, shutdown_deadline, absl::Seconds(20),
          "Time in-flight calls get to finish once the listener is closed");
ABSL_FLAG(absl::Duration, health_interval, absl::Seconds(2),
          "How often dependencies (PostgreSQL, Redis) are checked");
ABSL_FLAG(std::string, log_level, "info", "debug, info, warn or error");

namespace agora::server {

ServerOptions ServerOptionsFromFlags(int default_port) {
  ServerOptions options;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  options.listen_address =
      listen.empty() ? absl::StrCat("0.0.0.0:", default_port) : listen;
  options.metrics_port = absl::GetFlag(FLAGS_metrics_port);
  options.max_receive_bytes = absl::GetFlag(FLAGS_max_receive_bytes);
  options.drain_grace = absl::GetFlag(FLAGS_drain_grace);
  options.shutdown_deadline = absl::GetFlag(FLAGS_shutdown_deadline);
  options.health_interval = absl::GetFlag(FLAGS_health_interval);
  return options;
}

std::string LogLevelFlag() { return absl::GetFlag(FLAGS_log_level); }

}  // namespace agora::server
