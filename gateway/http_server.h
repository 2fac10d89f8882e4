// The HTTP/1.1 server of the gateway (Boost.Beast over Asio): one event loop
// per thread (one thread per core by default), keep-alive, limits on header
// and body size and on the time a request may take to arrive, 100-continue,
// and a graceful stop: no new connections, requests in flight finish and
// get their answer, idle connections close.
#ifndef AGORA_GATEWAY_HTTP_SERVER_H_
#define AGORA_GATEWAY_HTTP_SERVER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gateway/http_message.h"

namespace agora::gateway {

struct HttpServerOptions {
  std::string address = "0.0.0.0";
  int port = 8080;                      // 0 picks a free port
  int threads = 0;                      // 0: one per core
  size_t max_header_bytes = 16 * 1024;  // larger: 431
  size_t max_body_bytes = 1024 * 1024;  // larger: 413
  // From the first byte of a request (or from the end of the previous
  // response on a kept-alive connection) to its last byte; also bounds a
  // response write.
  absl::Duration read_timeout = absl::Seconds(30);
  int max_connections = 10000;
};

using HttpHandler = std::function<void(HttpRequest, Respond)>;

class HttpServer {
 public:
  HttpServer(HttpServerOptions options, HttpHandler handler);
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;
  ~HttpServer();

  // Binds and starts the threads. INVALID_ARGUMENT / UNAVAILABLE when the
  // address cannot be bound.
  absl::Status Start();
  int port() const;

  // Stops accepting, closes idle connections, waits up to `deadline` for
  // requests in flight to be answered, then stops the loops. Idempotent.
  void Shutdown(absl::Duration deadline);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_HTTP_SERVER_H_
