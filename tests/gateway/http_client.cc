#include "tests/gateway/http_client.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "absl/strings/ascii.h"

namespace agora::gateway::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpResult ReadResponse(tcp::socket& socket) {
  HttpResult result;
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  beast::error_code ec;
  http::read(socket, buffer, parser, ec);
  if (ec) return result;
  const auto& message = parser.get();
  result.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    result.headers[absl::AsciiStrToLower(std::string(field.name_string()))] =
        std::string(field.value());
  }
  result.body = message.body();
  return result;
}

}  // namespace

std::string HttpResult::Header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

nlohmann::json HttpResult::Json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

HttpResult Send(int port, const std::string& method, const std::string& target,
                const std::string& body, const Headers& headers) {
  net::io_context context;
  tcp::socket socket(context);
  beast::error_code ec;
  socket.connect(
      {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
      ec);
  if (ec) return {};
  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) request.set(name, value);
  request.body() = body;
  if (!body.empty() || method == "POST" || method == "PATCH" ||
      method == "PUT") {
    request.prepare_payload();
  }
  http::write(socket, request, ec);
  return ReadResponse(socket);
}

HttpResult SendRaw(int port, const std::string& bytes) {
  net::io_context context;
  tcp::socket socket(context);
  beast::error_code ec;
  socket.connect(
      {net::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port)},
      ec);
  if (ec) return {};
  net::write(socket, net::buffer(bytes), ec);
  // Nothing more will come: the server sees the end of the request.
  socket.shutdown(tcp::socket::shutdown_send, ec);
  return ReadResponse(socket);
}

}  // namespace agora::gateway::testing
