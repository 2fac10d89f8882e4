#include "services/identity/oidc/provider_config.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace agora::identity::oidc {
namespace {

// Bounds what one configuration line can make us send or compare.
constexpr size_t kMaxUrlBytes = 2048;

absl::Status CheckHttpsUrl(absl::string_view field, absl::string_view url) {
  if (url.empty())
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  if (url.size() > kMaxUrlBytes) {
    return absl::InvalidArgumentError(absl::StrCat(field, ": too long"));
  }
  // Tokens and client secrets travel to these URLs: TLS is not optional.
  if (!absl::StartsWithIgnoreCase(url, "https://") || url.size() == 8) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be an https URL"));
  }
  // RFC 6749 3.1: endpoints carry no fragment; a '#' would swallow our
  // parameters. Whitespace and control characters have no place in a URL.
  for (const char c : url) {
    if (c == '#' || static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError(absl::StrCat(
          field,
          ": must not contain a fragment, spaces or control characters"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateProviderConfig(const ProviderConfig& config) {
  if (config.client_id.empty() || config.client_id.size() > 512) {
    return absl::InvalidArgumentError("client_id: required, at most 512 bytes");
  }
  if (config.client_secret.size() > 1024) {
    return absl::InvalidArgumentError("client_secret: at most 1024 bytes");
  }
  if (absl::Status s = CheckHttpsUrl("authorization_endpoint",
                                     config.authorization_endpoint);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckHttpsUrl("token_endpoint", config.token_endpoint);
      !s.ok()) {
    return s;
  }
  if (config.protocol == Protocol::kOpenIdConnect) {
    if (absl::Status s = CheckHttpsUrl("issuer", config.issuer); !s.ok())
      return s;
    if (absl::Status s = CheckHttpsUrl("jwks_uri", config.jwks_uri); !s.ok())
      return s;
  } else {
    if (absl::Status s =
            CheckHttpsUrl("userinfo_endpoint", config.userinfo_endpoint);
        !s.ok()) {
      return s;
    }
  }
  for (const std::string& scope : config.scopes) {
    // RFC 6749 3.3: scope tokens are printable ASCII without space, '"', '\'.
    const bool printable = std::all_of(scope.begin(), scope.end(), [](char c) {
      return c > 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (scope.empty() || scope.size() > 256 || !printable) {
      return absl::InvalidArgumentError(
          "scopes: each must be 1-256 printable ASCII characters");
    }
  }
  return absl::OkStatus();
}

std::vector<std::string> RequestedScopes(const ProviderConfig& config) {
  std::vector<std::string> scopes;
  const bool has_openid = std::find(config.scopes.begin(), config.scopes.end(),
                                    "openid") != config.scopes.end();
  if (config.protocol == Protocol::kOpenIdConnect && !has_openid) {
    scopes.push_back("openid");
  }
  scopes.insert(scopes.end(), config.scopes.begin(), config.scopes.end());
  return scopes;
}

}  // namespace agora::identity::oidc
