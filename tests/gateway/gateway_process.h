// The agora-gateway binary as the tests run it: a child process on a free
// port, with a signing key of the test's own (its JWKS in a file the gateway
// reads), in front of a TestUpstream.
#ifndef AGORA_TESTS_GATEWAY_GATEWAY_PROCESS_H_
#define AGORA_TESTS_GATEWAY_GATEWAY_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/jwt_verifier.h"
#include "tests/harness/child_process.h"

namespace agora::gateway::testing {

// A signing key in a temporary folder: PEM, JWKS, tokens.
class TestKeys {
 public:
  TestKeys();
  // Removes the folder.
  ~TestKeys();
  TestKeys(const TestKeys&) = delete;
  TestKeys& operator=(const TestKeys&) = delete;
  const std::string& pem_path() const { return pem_path_; }
  const std::string& jwks_path() const { return jwks_path_; }
  // A verifier trusting these keys (the test upstream's).
  std::shared_ptr<auth::JwtVerifier> Verifier() const;
  // An access token of `subject` acting in `tenant`.
  std::string Token(const std::string& tenant, const std::string& subject,
                    absl::Duration ttl = absl::Hours(1),
                    std::vector<std::string> roles = {"member"}) const;
  // A service account's token with these scopes.
  std::string ServiceToken(const std::string& tenant,
                           std::vector<std::string> scopes) const;
  // The same claims signed by a key the gateway does not know.
  std::string ForgedToken(const std::string& tenant,
                          const std::string& subject) const;

 private:
  std::string dir_, pem_path_, jwks_path_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<auth::JwtSigner> stranger_;
};

class GatewayProcess {
 public:
  // Starts the gateway with these flags (besides --listen) and waits until
  // it accepts connections.
  static absl::StatusOr<std::unique_ptr<GatewayProcess>> Start(
      std::vector<std::string> flags);

  int port() const { return port_; }
  agora::testing::ChildProcess& process() { return *process_; }

 private:
  int port_ = 0;
  std::unique_ptr<agora::testing::ChildProcess> process_;
};

// The descriptor sets: the test service's, and Agora's own.
std::string TestDescriptorSet();
std::string AgoraDescriptorSet();

}  // namespace agora::gateway::testing

#endif  // AGORA_TESTS_GATEWAY_GATEWAY_PROCESS_H_
