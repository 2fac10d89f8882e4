// A local OpenID provider for the identity service's tests: the Python
// program in oidc_provider/ run as a child process on a free loopback port,
// over HTTPS with a certificate of its own, issuing real signed tokens. The
// test provider's controls (next user, forged tokens, key rotation, faults)
// are methods here, and Authorize plays the member's browser.
#ifndef AGORA_TESTS_HARNESS_OIDC_TEST_PROVIDER_H_
#define AGORA_TESTS_HARNESS_OIDC_TEST_PROVIDER_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/identity/oidc/provider_config.h"
#include "tests/harness/child_process.h"

namespace agora::testing {

class OidcTestProvider {
 public:
  struct Options {
    std::string client_id = "agora-test-client";
    // With characters that must be form-encoded in HTTP basic authentication.
    std::string client_secret = "s3cret:with&odd=chars";
    std::vector<std::string> redirect_uris = {
        "https://agora.test/oidc/callback"};
    // Plain OAuth 2 like X: no ID token, /userinfo answers {"data":{"id"..}}.
    bool x_mode = false;
  };

  struct Stats {
    int jwks_fetches = 0;
    int token_requests = 0;
  };

  // Where the provider sent the browser back: the redirect URI with code and
  // state, or with error and state when it refused the request.
  struct Callback {
    std::string location;
    std::string code;
    std::string state;
    std::string error;
  };

  // Starts the provider (Debian's /usr/bin/python3, which has
  // python3-cryptography) and waits until it answers over TLS.
  static absl::StatusOr<std::unique_ptr<OidcTestProvider>> Start(
      Options options);

  OidcTestProvider(const OidcTestProvider&) = delete;
  OidcTestProvider& operator=(const OidcTestProvider&) = delete;
  // Kills the provider and removes its certificate directory.
  ~OidcTestProvider();

  // https://127.0.0.1:<port>, the iss of its tokens.
  const std::string& issuer() const { return issuer_; }
  // The provider's self-signed certificate: HttpOptions::ca_file for clients.
  const std::string& ca_file() const { return ca_file_; }
  const Options& options() const { return options_; }
  // A configuration for this provider: OpenID Connect with scopes email and
  // profile, or in x_mode plain OAuth 2 with users.read and tweet.read.
  identity::oidc::ProviderConfig Config() const;

  // The identity the next authorization issues, as the JSON object the
  // provider's claims are copied from, e.g.
  // {"sub":"u1","email":"a@b.c","email_verified":"true","name":"A"}.
  absl::Status SetNextUser(absl::string_view json_object);
  // Forges the next ID token: expired, wrong_audience, wrong_issuer,
  // wrong_nonce, bad_signature, unknown_kid, alg_none, hs256, es256 (valid,
  // EC key), future_iat, two_audiences (valid, azp set), two_audiences_no_azp,
  // azp_mismatch, no_sub.
  absl::Status Forge(absl::string_view mode);
  // Spoils the next /token answer: oversize (2 MiB), oversize_unannounced
  // (2 MiB without Content-Length), not_json, server_error (503), redirect
  // (302).
  absl::Status TokenFault(absl::string_view mode);
  // The next /token request sleeps 30 s before answering.
  absl::Status Hang();
  // Replaces the RSA signing key by a new one with a new kid; the JWKS no
  // longer has the old one.
  absl::Status Rotate();
  absl::StatusOr<Stats> GetStats() const;

  // GETs `authorization_url` as a browser would, without following the
  // redirect, and returns the callback it points to.
  absl::StatusOr<Callback> Authorize(absl::string_view authorization_url) const;

  // Kills the provider now (tests of an unreachable provider).
  void Stop();

 private:
  OidcTestProvider(Options options, int port, std::string directory,
                   ChildProcess process);
  absl::Status Control(absl::string_view path,
                       absl::string_view json_body) const;

  Options options_;
  int port_;
  std::string directory_;
  std::string issuer_;
  std::string ca_file_;
  ChildProcess process_;
};

}  // namespace agora::testing

#endif  // AGORA_TESTS_HARNESS_OIDC_TEST_PROVIDER_H_
