#include "tests/gateway/gateway_process.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/static_key_source.h"
#include "tests/harness/ports.h"

namespace agora::gateway::testing {

std::string TestDescriptorSet() { return AGORA_GATEWAY_TEST_DESCRIPTOR_SET; }
std::string AgoraDescriptorSet() { return AGORA_DESCRIPTOR_SET; }

TestKeys::TestKeys() {
  char pattern[] = "/tmp/agora-gateway-test-XXXXXX";
  dir_ = mkdtemp(pattern);
  pem_path_ = dir_ + "/key.pem";
  jwks_path_ = dir_ + "/jwks.json";
  auth::Ed25519PrivateKey key = *auth::Ed25519PrivateKey::Generate();
  std::ofstream(pem_path_) << *key.ToPem();
  auth::KeySet keys;
  (void)keys.Add(key.public_key());
  std::ofstream(jwks_path_) << auth::ToJwks(keys);
  signer_ = std::make_unique<auth::JwtSigner>(std::move(key));
  stranger_ =
      std::make_unique<auth::JwtSigner>(*auth::Ed25519PrivateKey::Generate());
}

TestKeys::~TestKeys() {
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

std::shared_ptr<auth::JwtVerifier> TestKeys::Verifier() const {
  auth::KeySet keys;
  (void)keys.Add(signer_->public_key());
  auth::JwtVerifierOptions options;
  options.issuer = "agora-identity";
  options.audience = "agora";
  return std::make_shared<auth::JwtVerifier>(
      options, std::make_shared<auth::StaticKeySource>(std::move(keys)));
}

namespace {

auth::Claims ClaimsFor(const std::string& tenant, const std::string& subject,
                       absl::Duration ttl, std::vector<std::string> roles) {
  auth::Claims claims;
  claims.issuer = "agora-identity";
  claims.audience = {"agora"};
  claims.subject = subject;
  claims.tenant = tenant;
  claims.roles = std::move(roles);
  claims.trust_level = 2;
  claims.issued_at = absl::Now() - absl::Hours(2);
  claims.expires_at = absl::Now() + ttl;
  return claims;
}

}  // namespace

std::string TestKeys::Token(const std::string& tenant,
                            const std::string& subject, absl::Duration ttl,
                            std::vector<std::string> roles) const {
  return *signer_->Sign(ClaimsFor(tenant, subject, ttl, std::move(roles)));
}

std::string TestKeys::ServiceToken(const std::string& tenant,
                                   std::vector<std::string> scopes) const {
  auth::Claims claims =
      ClaimsFor(tenant, "gateway", absl::Minutes(15), {"service"});
  claims.scopes = std::move(scopes);
  return *signer_->Sign(claims);
}

std::string TestKeys::ForgedToken(const std::string& tenant,
                                  const std::string& subject) const {
  return *stranger_->Sign(
      ClaimsFor(tenant, subject, absl::Hours(1), {"member"}));
}

absl::StatusOr<std::unique_ptr<GatewayProcess>> GatewayProcess::Start(
    std::vector<std::string> flags) {
  auto gateway = std::unique_ptr<GatewayProcess>(new GatewayProcess());
  gateway->port_ = agora::testing::FreePort();
  // setpriv --pdeathsig: the gateway dies with the test, even when the test
  // dies without its destructors (a crash, an abort by a sanitizer).
  std::vector<std::string> argv = {
      "/usr/bin/setpriv",
      "--pdeathsig",
      "KILL",
      "--",
      AGORA_GATEWAY_BINARY,
      absl::StrCat("--listen=127.0.0.1:", gateway->port_),
      "--drain_grace=0s",
      "--log_level=warn",
      "--access_log=false",
      "--health_interval=200ms"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  absl::StatusOr<agora::testing::ChildProcess> process =
      agora::testing::ChildProcess::Start(argv);
  if (!process.ok()) return process.status();
  gateway->process_ =
      std::make_unique<agora::testing::ChildProcess>(*std::move(process));
  if (!agora::testing::WaitForPort(gateway->port_, absl::Seconds(30))) {
    return absl::UnavailableError("the gateway did not start listening");
  }
  return gateway;
}

}  // namespace agora::gateway::testing
