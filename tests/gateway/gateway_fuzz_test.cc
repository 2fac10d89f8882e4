// 10,000 malformed requests (random bytes on the socket, truncated JSON,
// huge numbers, deep nesting, garbage parameters and paths): every answer
// is a 4xx (or a closed connection for bytes that never make a request),
// nothing reaches the service, and the gateway still serves afterwards.
#include <gtest/gtest.h>

#include <random>

#include "absl/strings/str_cat.h"
#include "tests/gateway/gateway_process.h"
#include "tests/gateway/http_client.h"
#include "tests/gateway/test_upstream.h"

namespace agora::gateway::testing {
namespace {

constexpr int kPerKind = 2000;  // five kinds: 10,000 requests

class Fuzzer {
 public:
  explicit Fuzzer(uint32_t seed) : random_(seed) {}

  int Int(int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random_);
  }
  std::string Bytes(int length) {
    std::string bytes;
    for (int i = 0; i < length; ++i)
      bytes.push_back(static_cast<char>(Int(0, 255)));
    return bytes;
  }
  std::string Digits(int length) {
    std::string digits = std::to_string(Int(1, 9));
    for (int i = 1; i < length; ++i)
      digits.push_back(static_cast<char>('0' + Int(0, 9)));
    return digits;
  }
  std::string Letters(int length) {
    std::string letters;
    for (int i = 0; i < length; ++i)
      letters.push_back(static_cast<char>('a' + Int(0, 25)));
    return letters;
  }

 private:
  std::mt19937 random_;
};

TEST(GatewayFuzzTest, MalformedRequestsGet4xxAndTheGatewayKeepsServing) {
  TestKeys keys;
  TestUpstream upstream(keys.Verifier());
  absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
      GatewayProcess::Start(
          {absl::StrCat("--descriptor_set=", TestDescriptorSet()),
           absl::StrCat("--upstreams=agora.gatewaytest.v1=127.0.0.1:",
                        upstream.port()),
           absl::StrCat("--jwks_file=", keys.jwks_path()),
           "--max_body_bytes=65536"});
  ASSERT_TRUE(gateway.ok()) << gateway.status();
  const int port = (*gateway)->port();
  const Headers auth = {
      {"authorization", absl::StrCat("Bearer ", keys.Token("fr", "fuzzer"))},
      {"content-type", "application/json"}};
  const std::string valid =
      R"({"name":"tenants/fr/ideas/i1","stars":3,"tenant":"fr","ideaId":"x"})";
  const int calls = upstream.calls();
  Fuzzer fuzz(20261122);
  int requests = 0, closed = 0;
  auto expect_4xx = [&](const HttpResult& result, const std::string& what,
                        bool may_close) {
    ++requests;
    if (result.status == 0 && may_close) {
      ++closed;
      return;
    }
    EXPECT_GE(result.status, 400) << what.substr(0, 200);
    EXPECT_LT(result.status, 500)
        << what.substr(0, 200) << " -> " << result.body;
  };

  for (int i = 0; i < kPerKind; ++i) {
    // Random bytes as a request, ended like a header section.
    const std::string raw = fuzz.Bytes(fuzz.Int(1, 600)) + "\r\n\r\n";
    expect_4xx(SendRaw(port, raw), raw, /*may_close=*/true);
  }
  for (int i = 0; i < kPerKind; ++i) {
    // Truncated JSON, sometimes with random bytes after the cut.
    std::string body = valid.substr(0, fuzz.Int(1, valid.size() - 1));
    if (i % 2 == 1) body += fuzz.Bytes(fuzz.Int(1, 20));
    expect_4xx(Send(port, "POST", "/v1/tenants/fr/ideas/i1:vote", body, auth),
               body, false);
  }
  for (int i = 0; i < kPerKind; ++i) {
    // Huge numbers, in every field and form.
    const std::string number =
        i % 3 == 0   ? fuzz.Digits(fuzz.Int(11, 400))
        : i % 3 == 1 ? absl::StrCat(fuzz.Digits(3), "e", fuzz.Int(309, 99999))
                     : absl::StrCat("-", fuzz.Digits(fuzz.Int(20, 60)), ".5");
    const std::string body = absl::StrCat(R"({"stars":)", number, "}");
    expect_4xx(Send(port, "POST", "/v1/tenants/fr/ideas/i1:vote", body, auth),
               body, false);
  }
  for (int i = 0; i < kPerKind; ++i) {
    // Deep nesting of objects or arrays, closed or not.
    const int depth = fuzz.Int(40, 20000);
    std::string body;
    if (i % 2 == 0) {
      body = R"({"nested":)";
      for (int d = 0; d < depth; ++d) body += R"({"child":)";
      body += "{}" + std::string(depth + 1, '}');
      expect_4xx(Send(port, "POST", "/v1/tenants/fr/ideas", body, auth), body,
                 false);
    } else {
      body = std::string(depth, '[');
      expect_4xx(Send(port, "POST", "/v1/tenants/fr/ideas/i1:vote", body, auth),
                 body, false);
    }
  }
  for (int i = 0; i < kPerKind; ++i) {
    // Garbage query parameters and path variables.
    std::string target;
    switch (i % 4) {
      case 0:
        target = absl::StrCat("/v1/tenants/fr/ideas?zz", fuzz.Letters(5), "=",
                              fuzz.Letters(fuzz.Int(0, 30)));
        break;
      case 1:
        target = absl::StrCat("/v1/tenants/fr/ideas?pageSize=",
                              fuzz.Digits(fuzz.Int(11, 100)));
        break;
      case 2:
        target = absl::StrCat("/v1/tenants/fr/ideas/", fuzz.Letters(3), "%",
                              fuzz.Letters(1), "G");
        break;
      default:
        target = absl::StrCat("/v1/zz", fuzz.Letters(fuzz.Int(1, 50)), "/",
                              fuzz.Letters(3));
        break;
    }
    expect_4xx(Send(port, i % 8 == 7 ? "DELETE" : "GET", target, "", auth),
               target, false);
  }

  EXPECT_EQ(requests, 5 * kPerKind);
  EXPECT_LT(closed, kPerKind);  // most random byte strings got a 400
  EXPECT_EQ(upstream.calls(), calls) << "garbage reached the service";
  EXPECT_EQ(Send(port, "GET", "/healthz").status, 200);
  HttpResult after = Send(port, "POST", "/v1/tenants/fr/ideas/i1:vote",
                          R"({"stars":3})", auth);
  EXPECT_EQ(after.status, 200) << after.body;
  EXPECT_FALSE(
      (*gateway)->process().WaitExit(absl::ZeroDuration()).has_value());
}

}  // namespace
}  // namespace agora::gateway::testing
