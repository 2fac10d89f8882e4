#include "libs/server/metrics_endpoint.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <thread>

#include "absl/strings/str_cat.h"

namespace agora::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// One scrape: read a request (5 s at most, 8 KiB of headers), answer, close.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const std::function<std::string()>& render)
      : stream_(std::move(socket)), render_(render) {}

  void Run() {
    parser_.header_limit(8 * 1024);
    parser_.body_limit(0);
    stream_.expires_after(std::chrono::seconds(5));
    http::async_read(
        stream_, buffer_, parser_,
        [self = shared_from_this()](beast::error_code error, size_t) {
          if (!error) self->Answer();
        });
  }

 private:
  void Answer() {
    const auto& request = parser_.get();
    auto response = std::make_shared<http::response<http::string_body>>();
    response->version(request.version());
    response->keep_alive(false);
    if (request.method() != http::verb::get) {
      response->result(http::status::method_not_allowed);
      response->body() = "GET only\n";
    } else if (request.target() == "/metrics") {
      response->result(http::status::ok);
      response->set(http::field::content_type, "text/plain; version=0.0.4");
      response->body() = render_();
    } else if (request.target() == "/healthz") {
      response->result(http::status::ok);
      response->body() = "ok\n";
    } else {
      response->result(http::status::not_found);
      response->body() = "not found\n";
    }
    response->prepare_payload();
    http::async_write(
        stream_, *response,
        [self = shared_from_this(), response](beast::error_code, size_t) {
          beast::error_code ignored;
          self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request_parser<http::empty_body> parser_;
  const std::function<std::string()>& render_;
};

}  // namespace

class MetricsEndpoint::Impl {
 public:
  explicit Impl(std::function<std::string()> render)
      : render_(std::move(render)) {}

  absl::Status Start(const std::string& address, int port) {
    beast::error_code error;
    const auto ip = asio::ip::make_address(address, error);
    if (error)
      return absl::InvalidArgumentError(
          absl::StrCat("metrics address: ", address));
    acceptor_.open(ip.is_v4() ? tcp::v4() : tcp::v6(), error);
    acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    acceptor_.bind(tcp::endpoint(ip, static_cast<unsigned short>(port)), error);
    if (!error)
      acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      return absl::UnavailableError(
          absl::StrCat("metrics endpoint cannot listen on ", address, ":", port,
                       ": ", error.message()));
    }
    port_ = acceptor_.local_endpoint().port();
    Accept();
    thread_ = std::thread([this] { io_.run(); });
    return absl::OkStatus();
  }

  void Stop() {
    asio::post(io_, [this] {
      beast::error_code ignored;
      acceptor_.close(ignored);
    });
    io_.stop();
    if (thread_.joinable()) thread_.join();
  }

  int port() const { return port_; }

 private:
  void Accept() {
    acceptor_.async_accept([this](beast::error_code error, tcp::socket socket) {
      if (error) return;  // closed
      std::make_shared<Session>(std::move(socket), render_)->Run();
      Accept();
    });
  }

  std::function<std::string()> render_;
  asio::io_context io_{1};
  tcp::acceptor acceptor_{io_};
  std::thread thread_;
  int port_ = 0;
};

MetricsEndpoint::MetricsEndpoint(std::function<std::string()> render)
    : impl_(std::make_unique<Impl>(std::move(render))) {}

MetricsEndpoint::~MetricsEndpoint() { Stop(); }

absl::Status MetricsEndpoint::Start(const std::string& address, int port) {
  return impl_->Start(address, port);
}

void MetricsEndpoint::Stop() { impl_->Stop(); }

int MetricsEndpoint::port() const { return impl_->port(); }

}  // namespace agora::server
