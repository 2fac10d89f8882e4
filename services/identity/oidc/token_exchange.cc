#include "services/identity/oidc/token_exchange.h"

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/identity/oidc/pkce.h"
#include "services/identity/oidc/url_encoding.h"

namespace agora::identity::oidc {
namespace {

constexpr size_t kMaxCodeBytes = 2048;
constexpr size_t kMaxRedirectUriBytes = 2048;
constexpr size_t kMaxAccessTokenBytes = size_t{16} * 1024;

// The provider's error code, if it is one of OAuth's plain tokens; anything
// else is not repeated (it reaches logs and clients through our status).
std::string OAuthError(const nlohmann::json& answer) {
  const auto error = answer.find("error");
  if (error == answer.end() || !error->is_string()) return {};
  const auto& text = error->get_ref<const std::string&>();
  if (text.empty() || text.size() > 64) return {};
  for (const char c : text) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '_')
      return {};
  }
  return text;
}

absl::Status RefusalStatus(
    long status, const nlohmann::json& answer) {  // NOLINT(google-runtime-int)
  const std::string error = OAuthError(answer);
  if (error == "invalid_grant" || error == "invalid_request") {
    return absl::InvalidArgumentError(absl::StrCat(
        "code: the provider refused the authorization code (", error, ")"));
  }
  if (!error.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the provider refused this client (", error, ")"));
  }
  return absl::UnavailableError(
      absl::StrCat("token endpoint answered HTTP ", status));
}

}  // namespace

absl::StatusOr<TokenResponse> ExchangeCode(const HttpsClient& http,
                                           const ProviderConfig& config,
                                           absl::string_view code,
                                           absl::string_view redirect_uri,
                                           absl::string_view code_verifier) {
  if (code.empty() || code.size() > kMaxCodeBytes) {
    return absl::InvalidArgumentError("code: required, at most 2048 bytes");
  }
  if (redirect_uri.empty() || redirect_uri.size() > kMaxRedirectUriBytes) {
    return absl::InvalidArgumentError(
        "redirect_uri: required, at most 2048 bytes");
  }
  if (!IsValidPkceVerifier(code_verifier)) {
    return absl::InvalidArgumentError(
        "code_verifier: not an RFC 7636 verifier");
  }

  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"},
      {"code", std::string(code)},
      {"redirect_uri", std::string(redirect_uri)},
      {"code_verifier", std::string(code_verifier)},
  };
  std::vector<std::string> headers;
  if (config.client_secret.empty()) {
    form.emplace_back("client_id", config.client_id);
  } else {
    headers.push_back(absl::StrCat(
        "Authorization: Basic ",
        absl::Base64Escape(absl::StrCat(PercentEncode(config.client_id), ":",
                                        PercentEncode(config.client_secret)))));
  }
  absl::StatusOr<HttpResponse> response =
      http.PostForm(config.token_endpoint, FormEncode(form), headers);
  if (!response.ok()) return response.status();

  const nlohmann::json answer = nlohmann::json::parse(
      response->body, nullptr, /*allow_exceptions=*/false);
  if (response->status == 400 || response->status == 401) {
    return RefusalStatus(response->status, answer.is_object()
                                               ? answer
                                               : nlohmann::json::object());
  }
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("token endpoint answered HTTP ", response->status));
  }
  if (!answer.is_object())
    return absl::UnavailableError("token endpoint answered non-JSON");

  TokenResponse tokens;
  const auto access_token = answer.find("access_token");
  if (access_token == answer.end() || !access_token->is_string() ||
      access_token->get_ref<const std::string&>().empty() ||
      access_token->get_ref<const std::string&>().size() >
          kMaxAccessTokenBytes) {
    return absl::UnavailableError(
        "token endpoint answered without a usable access token");
  }
  // RFC 6749 5.1 requires token_type; we only know how to use bearer tokens.
  const auto token_type = answer.find("token_type");
  if (token_type != answer.end() &&
      (!token_type->is_string() ||
       !absl::EqualsIgnoreCase(token_type->get_ref<const std::string&>(),
                               "bearer"))) {
    return absl::UnavailableError(
        "token endpoint answered a token type other than Bearer");
  }
  tokens.access_token = access_token->get<std::string>();
  if (const auto id_token = answer.find("id_token"); id_token != answer.end()) {
    // Checked for size and form by the ID-token verification.
    if (id_token->is_string()) tokens.id_token = id_token->get<std::string>();
  }
  return tokens;
}

}  // namespace agora::identity::oidc
