// The gRPC services the gateway tests put behind the gateway, in this
// process: the test service (tests/gateway/proto, every annotation form,
// answering what it received), and stand-ins for share's ResolveShortLink
// and identity's GetJwks (the real services' contracts, test answers).
#ifndef AGORA_TESTS_GATEWAY_TEST_UPSTREAM_H_
#define AGORA_TESTS_GATEWAY_TEST_UPSTREAM_H_

#include <grpcpp/server.h>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "absl/synchronization/mutex.h"
#include "libs/auth/jwt_verifier.h"

namespace agora::gateway::testing {

class TestUpstream {
 public:
  // Signs a service-account token with scope share.resolve for a tenant.
  using IssueToken = std::function<std::string(const std::string& tenant)>;

  // `verifier` checks the tokens ResolveShortLink receives; `issue` answers
  // IssueServiceAccountToken for serviceAccounts/gateway with secret
  // "gateway-secret" (UNAUTHENTICATED for any other).
  explicit TestUpstream(std::shared_ptr<auth::JwtVerifier> verifier,
                        IssueToken issue = nullptr);
  ~TestUpstream();

  int port() const { return port_; }
  // Calls received by every service so far.
  int calls() const { return calls_->load(); }
  // IssueServiceAccountToken calls answered.
  int tokens_issued() const;
  // What the last ResolveShortLink received (JSON, proto names).
  std::string last_resolve() const;
  // Stops serving (the port closes).
  void Stop();

 private:
  class TestService;
  class ShareService;
  class IdentityService;
  std::shared_ptr<std::atomic<int>> calls_;
  std::unique_ptr<TestService> test_service_;
  std::unique_ptr<ShareService> share_service_;
  std::unique_ptr<IdentityService> identity_service_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace agora::gateway::testing

#endif  // AGORA_TESTS_GATEWAY_TEST_UPSTREAM_H_
