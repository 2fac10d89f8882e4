// A plain HTTP/1.1 client for the gateway tests (Boost.Beast, blocking):
// one request per connection, or raw bytes on a socket for fuzzing.
#ifndef AGORA_TESTS_GATEWAY_HTTP_CLIENT_H_
#define AGORA_TESTS_GATEWAY_HTTP_CLIENT_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace agora::gateway::testing {

struct HttpResult {
  int status = 0;  // 0: no answer (connection failed or closed)
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const;
  // The body as JSON (a discarded value when it is not JSON).
  nlohmann::json Json() const;
};

using Headers = std::vector<std::pair<std::string, std::string>>;

HttpResult Send(int port, const std::string& method, const std::string& target,
                const std::string& body = "", const Headers& headers = {});

// Writes `bytes` as they are, then reads one response (status 0 when the
// server closed without answering).
HttpResult SendRaw(int port, const std::string& bytes);

}  // namespace agora::gateway::testing

#endif  // AGORA_TESTS_GATEWAY_HTTP_CLIENT_H_
