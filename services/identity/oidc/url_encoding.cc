#include "services/identity/oidc/url_encoding.h"

namespace agora::identity::oidc {

std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string body;
  for (const auto& [name, value] : fields) {
    if (!body.empty()) body.push_back('&');
    body.append(PercentEncode(name));
    body.push_back('=');
    body.append(PercentEncode(value));
  }
  return body;
}

}  // namespace agora::identity::oidc
