// The gateway process over its life: /readyz follows the upstreams' health
// (503 when a configured service goes down, 200 when it is back), and
// SIGTERM lets a request in flight finish before the process exits 0.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <future>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "tests/gateway/gateway_process.h"
#include "tests/gateway/http_client.h"
#include "tests/gateway/test_upstream.h"

namespace agora::gateway::testing {
namespace {

// Polls /readyz until it answers `status` (the health check runs every
// 200 ms); the last status seen.
int WaitForReadyz(int port, int status) {
  int seen = 0;
  for (int i = 0; i < 100; ++i) {
    seen = Send(port, "GET", "/readyz").status;
    if (seen == status) break;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return seen;
}

TEST(GatewayLifecycleTest, ReadyzIs503WhileAConfiguredServiceIsDown) {
  TestKeys keys;
  auto upstream = std::make_unique<TestUpstream>(keys.Verifier());
  const int upstream_port = upstream->port();
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
      GatewayProcess::Start(
          {absl::StrCat("--descriptor_set=", TestDescriptorSet()),
           absl::StrCat("--upstreams=agora.gatewaytest.v1=127.0.0.1:",
                        upstream_port),
           absl::StrCat("--jwks_file=", keys.jwks_path())});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  const int port = (*gateway)->port();
  EXPECT_EQ(WaitForReadyz(port, 200), 200);
  EXPECT_EQ(
      Send(port, "GET", "/readyz").Json()["services"]["agora.gatewaytest.v1"],
      "SERVING");

  upstream->Stop();
  EXPECT_EQ(WaitForReadyz(port, 503), 503);
  HttpResult down = Send(port, "GET", "/readyz");
  EXPECT_EQ(down.Json()["services"]["agora.gatewaytest.v1"], "NOT_SERVING");
  // The process itself is alive, and calls fail cleanly.
  EXPECT_EQ(Send(port, "GET", "/healthz").status, 200);
  EXPECT_EQ(Send(port, "GET", "/v1/tenants/fr/ideas/i1").status, 503);
}

TEST(GatewayLifecycleTest, SigtermFinishesTheRequestInFlightThenExits) {
  TestKeys keys;
  TestUpstream upstream(keys.Verifier());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
      GatewayProcess::Start(
          {absl::StrCat("--descriptor_set=", TestDescriptorSet()),
           absl::StrCat("--upstreams=agora.gatewaytest.v1=127.0.0.1:",
                        upstream.port()),
           absl::StrCat("--jwks_file=", keys.jwks_path()),
           "--shutdown_deadline=10s"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  const int port = (*gateway)->port();
  ASSERT_EQ(WaitForReadyz(port, 200), 200);
  const int calls = upstream.calls();
  std::future<HttpResult> slow = std::async(std::launch::async, [port] {
    return Send(port, "GET", "/v1/sleep/1500");
  });
  // Signal only once the call has reached the service.
  for (int i = 0; i < 100 && upstream.calls() == calls; ++i) {
    absl::SleepFor(absl::Milliseconds(20));
  }
  ASSERT_GT(upstream.calls(), calls);
  ASSERT_TRUE((*gateway)->process().Signal(SIGTERM));
  HttpResult answered = slow.get();
  EXPECT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(answered.Json()["method"], "Sleep");
  EXPECT_EQ((*gateway)->process().WaitExit(absl::Seconds(10)), 0);
  EXPECT_EQ(Send(port, "GET", "/healthz").status, 0);  // nobody listens
}

// Without a development key, the gateway gets its share.resolve tokens from
// identity's client-credentials exchange, one per tenant, and keeps it.
TEST(GatewayLifecycleTest, ShortLinksUseTheServiceAccountsToken) {
  TestKeys keys;
  TestUpstream upstream(keys.Verifier(), [&keys](const std::string& tenant) {
    return keys.ServiceToken(tenant, {"share.resolve"});
  });
  const std::string address = absl::StrCat("127.0.0.1:", upstream.port());
  auto start = [&](const std::string& secret) {
    setenv("AGORA_TEST_GATEWAY_SECRET", secret.c_str(), 1);
    return GatewayProcess::Start(
        {absl::StrCat("--descriptor_set=", AgoraDescriptorSet()),
         absl::StrCat("--upstreams=agora.share.v1=", address,
                      ",agora.identity.v1=", address),
         absl::StrCat("--jwks_file=", keys.jwks_path()),
         "--tenant_hosts=fr.test=fr",
         "--service_account=serviceAccounts/gateway",
         "--service_account_secret=env:AGORA_TEST_GATEWAY_SECRET"});
  };
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
      start("gateway-secret");
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  for (int i = 0; i < 3; ++i) {
    HttpResult result =
        Send((*gateway)->port(), "GET", "/s/abc123", "", {{"host", "fr.test"}});
    EXPECT_EQ(result.status, 302) << result.body;
  }
  EXPECT_EQ(upstream.tokens_issued(), 1);

  absl::StatusOr<std::unique_ptr<GatewayProcess>> refused =
      start("wrong-secret");
  ASSERT_TRUE(refused.ok()) << refused.status();
  HttpResult result =
      Send((*refused)->port(), "GET", "/s/abc123", "", {{"host", "fr.test"}});
  EXPECT_EQ(result.status, 503);
  EXPECT_EQ(result.Header("content-security-policy").empty(), false);
  EXPECT_EQ(upstream.tokens_issued(), 1);
}

}  // namespace
}  // namespace agora::gateway::testing
