// The request and response the gateway's handler sees, independent of the
// HTTP library: the server (http_server.h) fills and sends them.
#ifndef AGORA_GATEWAY_HTTP_MESSAGE_H_
#define AGORA_GATEWAY_HTTP_MESSAGE_H_

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::gateway {

struct HttpRequest {
  std::string method;  // upper case, as sent: "GET"
  std::string target;  // origin form: "/v1/tenants/fr/posts?page_size=10"
  // Header names lower case, in arrival order.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  // The peer's address (IP, no port).
  std::string peer_address;

  // The first value of header `lower_case_name`, if any.
  std::optional<absl::string_view> Header(absl::string_view name) const;
  // How many times the header appears.
  int HeaderCount(absl::string_view name) const;
  absl::string_view Path() const;   // target before '?'
  absl::string_view Query() const;  // target after '?', "" when none
};

struct HttpResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
};

// Called exactly once per request, from any thread.
using Respond = std::function<void(HttpResponse)>;

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_HTTP_MESSAGE_H_
