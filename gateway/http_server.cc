#include "gateway/http_server.h"

#include <algorithm>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <map>
#include <optional>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "libs/logging/log.h"

namespace agora::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Whether the loops still run: a response that arrives after the server
// stopped (a late upstream completion) is dropped instead of being posted
// to a loop that is gone.
struct Liveness {
  absl::Mutex mu;
  bool alive ABSL_GUARDED_BY(mu) = true;
};

}  // namespace

class HttpServer::Impl {
 public:
  class Session;

  Impl(HttpServerOptions options, HttpHandler handler)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        liveness_(std::make_shared<Liveness>()) {}

  ~Impl() { Shutdown(absl::ZeroDuration()); }

  absl::Status Start();
  void Shutdown(absl::Duration deadline);
  void Accept();

  const HttpServerOptions options_;
  const HttpHandler handler_;
  std::shared_ptr<Liveness> liveness_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> in_flight_{0};
  int port_ = 0;
  absl::Mutex mu_;
  std::map<Session*, std::weak_ptr<Session>> sessions_ ABSL_GUARDED_BY(mu_);
  std::once_flag shutdown_once_;
  // Declared last: destroyed first, with the handlers (and sessions) they
  // still hold, while the members above are alive.
  std::vector<std::unique_ptr<net::io_context>> contexts_;
  std::vector<net::executor_work_guard<net::io_context::executor_type>> guards_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  std::vector<std::thread> threads_;
  size_t next_context_ = 0;
};

class HttpServer::Impl::Session
    : public std::enable_shared_from_this<HttpServer::Impl::Session> {
 public:
  Session(tcp::socket socket, Impl& server)
      : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    net::ip::address address = stream_.socket().remote_endpoint(ec).address();
    if (!ec) {
      if (address.is_v6() && address.to_v6().is_v4_mapped()) {
        address = net::ip::make_address_v4(net::ip::v4_mapped, address.to_v6());
      }
      peer_ = address.to_string();
    }
    server_.connections_.fetch_add(1);
  }

  ~Session() {
    server_.connections_.fetch_sub(1);
    absl::MutexLock lock(&server_.mu_);
    server_.sessions_.erase(this);
  }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  [self = shared_from_this()] { self->ReadHeader(); });
  }

  // On SIGTERM: a connection waiting for its next request is closed; one
  // with a request in flight closes after answering it.
  void CloseIfIdle() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
      if (!self->busy_) {
        beast::error_code ec;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
        self->stream_.socket().close(ec);
      }
    });
  }

 private:
  void ReadHeader() {
    if (server_.stopping_.load()) return Close();
    parser_.emplace();
    parser_->header_limit(
        static_cast<std::uint32_t>(server_.options_.max_header_bytes));
    parser_->body_limit(server_.options_.max_body_bytes);
    stream_.expires_after(
        absl::ToChronoMilliseconds(server_.options_.read_timeout));
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) {
          self->OnHeader(ec);
        });
  }

  void OnHeader(beast::error_code ec) {
    if (ec) return OnReadError(ec);
    busy_ = true;
    const boost::optional<std::uint64_t> length = parser_->content_length();
    if (length.has_value() && *length > server_.options_.max_body_bytes) {
      return SendError(413, "request body too large");
    }
    if (beast::iequals(parser_->get()[http::field::expect], "100-continue")) {
      auto proceed = std::make_shared<http::response<http::empty_body>>(
          http::status::continue_, 11);
      http::async_write(
          stream_, *proceed,
          [self = shared_from_this(), proceed](beast::error_code ec, size_t) {
            if (ec) return self->Close();
            self->ReadBody();
          });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Dispatch();
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->Dispatch();
                     });
  }

  void OnReadError(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof ||
        ec == net::error::operation_aborted ||
        ec == net::error::connection_reset ||
        ec == net::error::bad_descriptor) {
      return Close();
    }
    if (ec == http::error::body_limit) {
      return SendError(413, "request body too large");
    }
    if (ec == http::error::header_limit) {
      return SendError(431, "request header too large");
    }
    if (ec == beast::error::timeout) {
      if (parser_.has_value() && parser_->got_some()) {
        return SendError(408, "request took too long to arrive");
      }
      return Close();
    }
    if (&ec.category() ==
        &http::make_error_code(http::error::bad_method).category()) {
      return SendError(400, "malformed HTTP request");
    }
    Close();
  }

  void Dispatch() {
    http::request<http::string_body> message = parser_->release();
    HttpRequest request;
    request.target = std::string(message.target());
    if (request.target.empty() || request.target[0] != '/') {
      return SendError(400, "request target must be a path");
    }
    request.method = std::string(message.method_string());
    for (const auto& field : message) {
      request.headers.emplace_back(
          absl::AsciiStrToLower(std::string(field.name_string())),
          std::string(field.value()));
    }
    request.body = std::move(message.body());
    request.peer_address = peer_;
    keep_alive_ = message.keep_alive();
    head_ = message.method() == http::verb::head;
    dispatched_ = true;
    server_.in_flight_.fetch_add(1);
    std::shared_ptr<Liveness> liveness = server_.liveness_;
    server_.handler_(std::move(request), [self = shared_from_this(),
                                          liveness](HttpResponse response) {
      absl::ReaderMutexLock lock(&liveness->mu);
      if (!liveness->alive) return;
      net::post(self->stream_.get_executor(),
                [self, response = std::move(response)]() mutable {
                  self->Write(std::move(response), self->keep_alive_);
                });
    });
  }

  void SendError(int status, const char* message) {
    HttpResponse response;
    response.status = status;
    response.body = absl::StrCat(
        R"({"code":")",
        status == 413 || status == 431 ? "RESOURCE_EXHAUSTED"
        : status == 408                ? "DEADLINE_EXCEEDED"
                                       : "INVALID_ARGUMENT",
        R"(","message":")", message, R"(","details":[],"request_id":""})");
    response.SetHeader("content-type", "application/json");
    response.SetHeader("x-content-type-options", "nosniff");
    busy_ = true;
    Write(std::move(response), /*keep_alive=*/false);
  }

  void Write(HttpResponse response, bool keep_alive) {
    keep_alive = keep_alive && !server_.stopping_.load();
    auto message = std::make_shared<http::response<http::string_body>>();
    message->version(11);
    message->result(static_cast<unsigned>(response.status));
    for (auto& [name, value] : response.headers) message->set(name, value);
    message->keep_alive(keep_alive);
    message->body() = std::move(response.body);
    message->prepare_payload();
    if (head_) message->body().clear();
    stream_.expires_after(
        absl::ToChronoMilliseconds(server_.options_.read_timeout));
    http::async_write(
        stream_, *message,
        [self = shared_from_this(), message, keep_alive](
            beast::error_code ec, size_t) { self->OnWrite(ec, keep_alive); });
  }

  void OnWrite(beast::error_code ec, bool keep_alive) {
    busy_ = false;
    if (dispatched_) {
      dispatched_ = false;
      server_.in_flight_.fetch_sub(1);
    }
    if (ec || !keep_alive) return Close();
    ReadHeader();
  }

  void Close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.socket().close(ec);
  }

  beast::tcp_stream stream_;
  Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string peer_;
  bool busy_ = false;
  bool dispatched_ = false;
  bool keep_alive_ = false;
  bool head_ = false;
};

absl::Status HttpServer::Impl::Start() {
  int threads = options_.threads > 0
                    ? options_.threads
                    : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  for (int i = 0; i < threads; ++i) {
    contexts_.push_back(std::make_unique<net::io_context>(1));
    guards_.push_back(net::make_work_guard(*contexts_.back()));
  }
  beast::error_code ec;
  const net::ip::address address = net::ip::make_address(options_.address, ec);
  if (ec) {
    return absl::InvalidArgumentError(
        absl::StrCat("listen address ", options_.address, ": ", ec.message()));
  }
  acceptor_ = std::make_unique<tcp::acceptor>(*contexts_[0]);
  const tcp::endpoint endpoint(address,
                               static_cast<unsigned short>(options_.port));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.address, ":", options_.port,
                     ": ", ec.message()));
  }
  port_ = acceptor_->local_endpoint().port();
  Accept();
  for (auto& context : contexts_) {
    threads_.emplace_back([context = context.get()] { context->run(); });
  }
  return absl::OkStatus();
}

void HttpServer::Impl::Accept() {
  net::io_context& context = *contexts_[next_context_++ % contexts_.size()];
  acceptor_->async_accept(
      context, [this](beast::error_code ec, tcp::socket socket) {
        if (stopping_.load()) return;
        if (!ec) {
          if (connections_.load() >= options_.max_connections) {
            beast::error_code ignored;
            socket.close(ignored);
          } else {
            beast::error_code ignored;
            socket.set_option(tcp::no_delay(true), ignored);
            auto session = std::make_shared<Session>(std::move(socket), *this);
            {
              absl::MutexLock lock(&mu_);
              sessions_[session.get()] = session;
            }
            session->Start();
          }
        } else if (ec == net::error::operation_aborted) {
          return;
        }
        Accept();
      });
}

void HttpServer::Impl::Shutdown(absl::Duration deadline) {
  std::call_once(shutdown_once_, [&] {
    if (contexts_.empty()) return;
    stopping_.store(true);
    net::post(*contexts_[0], [this] {
      beast::error_code ec;
      acceptor_->close(ec);
    });
    auto close_idle = [this] {
      std::vector<std::shared_ptr<Session>> open;
      {
        absl::MutexLock lock(&mu_);
        for (auto& [raw, weak] : sessions_) {
          if (auto session = weak.lock()) open.push_back(std::move(session));
        }
      }
      for (auto& session : open) session->CloseIfIdle();
    };
    close_idle();
    const absl::Time until = absl::Now() + deadline;
    while (in_flight_.load() > 0 && absl::Now() < until) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    if (in_flight_.load() > 0) {
      logging::Warn("shutdown deadline passed with requests in flight",
                    {{"in_flight", in_flight_.load()}});
    }
    // Answers written: give the last writes a moment to leave, then stop.
    close_idle();
    const absl::Time flush_until = absl::Now() + absl::Seconds(1);
    while (connections_.load() > 0 && absl::Now() < flush_until) {
      absl::SleepFor(absl::Milliseconds(10));
    }
    {
      absl::MutexLock lock(&liveness_->mu);
      liveness_->alive = false;
    }
    guards_.clear();
    for (auto& context : contexts_) context->stop();
    for (std::thread& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
  });
}

HttpServer::HttpServer(HttpServerOptions options, HttpHandler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

HttpServer::~HttpServer() = default;

absl::Status HttpServer::Start() { return impl_->Start(); }

int HttpServer::port() const { return impl_->port_; }

void HttpServer::Shutdown(absl::Duration deadline) {
  impl_->Shutdown(deadline);
}

}  // namespace agora::gateway
