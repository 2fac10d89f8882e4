// The HTTP endpoint Prometheus scrapes: GET /metrics on its own port (never
// on the gRPC port, so that scraping needs no gRPC and exposes no API).
// Also GET /healthz (process alive) for plain HTTP probes.
#ifndef AGORA_LIBS_SERVER_METRICS_ENDPOINT_H_
#define AGORA_LIBS_SERVER_METRICS_ENDPOINT_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"

namespace agora::server {

class MetricsEndpoint {
 public:
  // `render` produces the body of /metrics on each scrape.
  explicit MetricsEndpoint(std::function<std::string()> render);
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;
  ~MetricsEndpoint();

  // Listens on address:port (port 0 picks a free one) in a thread of its own.
  absl::Status Start(const std::string& address, int port);
  void Stop();
  int port() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agora::server

#endif  // AGORA_LIBS_SERVER_METRICS_ENDPOINT_H_
