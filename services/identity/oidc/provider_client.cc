#include "services/identity/oidc/provider_client.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "services/identity/oidc/https_client.h"
#include "services/identity/oidc/id_token_claims.h"
#include "services/identity/oidc/jwks_cache.h"
#include "services/identity/oidc/jws_signature.h"
#include "services/identity/oidc/profile_claims.h"
#include "services/identity/oidc/token_exchange.h"

namespace agora::identity::oidc {
namespace {

constexpr size_t kMaxNonceBytes = 512;
constexpr size_t kMaxSubjectBytes = 255;

std::function<absl::Time()> ClockOrNow(std::function<absl::Time()> clock) {
  if (clock) return clock;
  return [] { return absl::Now(); };
}

// The subject in a userinfo answer: OpenID's "sub", X's data.id (users/me),
// or Facebook's top-level "id" (Graph /me).
std::string UserInfoSubject(const nlohmann::json& answer) {
  const auto string_at = [](const nlohmann::json& object, const char* name) {
    const auto it = object.find(name);
    return it != object.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
  };
  if (std::string sub = string_at(answer, "sub"); !sub.empty()) return sub;
  if (const auto data = answer.find("data");
      data != answer.end() && data->is_object()) {
    if (std::string id = string_at(*data, "id"); !id.empty()) return id;
  }
  return string_at(answer, "id");
}

}  // namespace

ProviderClient::ProviderClient(HttpOptions options,
                               std::function<absl::Time()> clock,
                               VerifierOptions verifier)
    : clock_(ClockOrNow(std::move(clock))),
      verifier_(verifier),
      http_(std::make_unique<HttpsClient>(std::move(options))),
      jwks_(std::make_unique<JwksCache>(*http_, verifier, clock_)) {}

ProviderClient::~ProviderClient() = default;

absl::StatusOr<ExternalUser> ProviderClient::FinishLogin(
    const ProviderConfig& config, absl::string_view code,
    absl::string_view redirect_uri, absl::string_view code_verifier,
    absl::string_view expected_nonce) const {
  if (absl::Status valid = ValidateProviderConfig(config); !valid.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("provider configuration: ", valid.message()));
  }
  const bool openid = config.protocol == Protocol::kOpenIdConnect;
  if (openid &&
      (expected_nonce.empty() || expected_nonce.size() > kMaxNonceBytes)) {
    return absl::InvalidArgumentError(
        "expected_nonce: required, at most 512 bytes");
  }
  absl::StatusOr<TokenResponse> tokens =
      ExchangeCode(*http_, config, code, redirect_uri, code_verifier);
  if (!tokens.ok()) return tokens.status();
  if (openid) return UserFromIdToken(config, tokens->id_token, expected_nonce);
  return UserFromUserInfo(config, tokens->access_token);
}

absl::StatusOr<ExternalUser> ProviderClient::UserFromIdToken(
    const ProviderConfig& config, absl::string_view id_token,
    absl::string_view expected_nonce) const {
  if (id_token.empty()) return absl::UnauthenticatedError("id token missing");
  absl::StatusOr<JwsHeader> header = ReadJwsHeader(id_token);
  if (!header.ok()) return header.status();
  absl::StatusOr<std::shared_ptr<const cjose_jwk_t>> key =
      jwks_->KeyFor(config.jwks_uri, header->kid, header->alg);
  if (!key.ok()) return key.status();
  absl::StatusOr<std::string> payload =
      VerifiedJwsPayload(id_token, *header, **key);
  if (!payload.ok()) return payload.status();
  IdTokenExpectations expected;
  expected.issuer = config.issuer;
  expected.client_id = config.client_id;
  expected.nonce = std::string(expected_nonce);
  expected.now = clock_();
  expected.leeway = verifier_.leeway;
  return CheckIdTokenClaims(*payload, expected);
}

absl::StatusOr<ExternalUser> ProviderClient::UserFromUserInfo(
    const ProviderConfig& config, absl::string_view access_token) const {
  absl::StatusOr<HttpResponse> response =
      http_->Get(config.userinfo_endpoint,
                 {absl::StrCat("Authorization: Bearer ", access_token)});
  if (!response.ok()) return response.status();
  if (response->status == 401 || response->status == 403) {
    return absl::UnauthenticatedError(
        "userinfo endpoint refused the access token");
  }
  if (response->status != 200) {
    return absl::UnavailableError(
        absl::StrCat("userinfo endpoint answered HTTP ", response->status));
  }
  const nlohmann::json answer = nlohmann::json::parse(
      response->body, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object())
    return absl::UnavailableError("userinfo endpoint answered non-JSON");
  std::string subject = UserInfoSubject(answer);
  if (subject.empty() || subject.size() > kMaxSubjectBytes) {
    return absl::UnauthenticatedError("userinfo subject invalid");
  }
  // X nests the profile under "data"; OpenID and Facebook put it at the top.
  const auto data = answer.find("data");
  ExternalUser user = ProfileFromClaims(
      data != answer.end() && data->is_object() ? *data : answer);
  user.subject = std::move(subject);
  return user;
}

}  // namespace agora::identity::oidc
