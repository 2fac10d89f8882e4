#include "services/identity/oidc/authorization_url.h"

#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "services/identity/oidc/url_encoding.h"

namespace agora::identity::oidc {

std::string AuthorizationUrl(const ProviderConfig& config,
                             absl::string_view redirect_uri,
                             absl::string_view state, absl::string_view nonce,
                             absl::string_view code_challenge,
                             absl::string_view language) {
  std::vector<std::pair<std::string, std::string>> parameters = {
      {"response_type", "code"},
      {"client_id", config.client_id},
      {"redirect_uri", std::string(redirect_uri)},
      {"scope", absl::StrJoin(RequestedScopes(config), " ")},
      {"state", std::string(state)},
  };
  if (config.protocol == Protocol::kOpenIdConnect) {
    parameters.emplace_back("nonce", std::string(nonce));
  }
  parameters.emplace_back("code_challenge", std::string(code_challenge));
  parameters.emplace_back("code_challenge_method", "S256");
  if (!language.empty())
    parameters.emplace_back("ui_locales", std::string(language));

  std::string url = config.authorization_endpoint;
  const size_t query = url.find('?');
  if (query == std::string::npos) {
    url.push_back('?');
  } else if (query + 1 != url.size() && url.back() != '&') {
    url.push_back('&');
  }
  url.append(FormEncode(parameters));
  return url;
}

}  // namespace agora::identity::oidc
