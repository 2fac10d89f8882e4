// The agora-gateway binary in front of a test gRPC service with every
// annotation form, over real HTTP: routing, JSON mapping and its errors,
// the status table, authentication and tenants, forwarded metadata, rate
// limits in the test Redis, limits on requests, short links and JWKS.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "libs/redis/client.h"
#include "tests/gateway/gateway_process.h"
#include "tests/gateway/http_client.h"
#include "tests/gateway/test_upstream.h"
#include "tests/harness/test_redis.h"

namespace agora::gateway::testing {
namespace {

using ::testing::HasSubstr;

class GatewayHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    keys_ = new TestKeys();
    upstream_ = new TestUpstream(keys_->Verifier());
    redis_ = new agora::testing::TestRedis();
    const std::string address = absl::StrCat("127.0.0.1:", upstream_->port());
    absl::StatusOr<std::unique_ptr<GatewayProcess>> gateway =
        GatewayProcess::Start({
            absl::StrCat("--descriptor_set=", TestDescriptorSet(), ",",
                         AgoraDescriptorSet()),
            absl::StrCat("--upstreams=agora.gatewaytest.v1=", address,
                         ",agora.share.v1=", address,
                         ",agora.identity.v1=", address),
            absl::StrCat("--jwks_file=", keys_->jwks_path()),
            absl::StrCat("--dev_signing_key=", keys_->pem_path()),
            absl::StrCat("--redis_address=", redis_->options().host, ":",
                         redis_->options().port),
            absl::StrCat("--redis_key_prefix=", redis_->prefix()),
            "--rate_limits=read=100000/1m,write=100000/1m,post=3/2s",
            "--rate_limit_classes=agora.gatewaytest.v1.TestService."
            "CreateIdea=post",
            "--tenant_hosts=fr.test=fr,de.test=de",
            "--cors_origins=fr=https://app.fr.test",
            "--max_body_bytes=65536",
            "--max_header_bytes=8192",
            "--deadline=2s",
        });
    ASSERT_TRUE(gateway.ok()) << gateway.status();
    gateway_ = gateway->release();
  }

  static void TearDownTestSuite() {
    delete gateway_;
    delete upstream_;
    delete redis_;
    delete keys_;
  }

  static int port() { return gateway_->port(); }

  static std::string Bearer(const std::string& tenant = "fr",
                            const std::string& subject = "alice") {
    return absl::StrCat("Bearer ", keys_->Token(tenant, subject));
  }

  // The request the test service received, as JSON with proto names.
  static nlohmann::json Received(const HttpResult& result) {
    return nlohmann::json::parse(result.Json().value("requestJson", "null"),
                                 nullptr, false);
  }

  static TestKeys* keys_;
  static TestUpstream* upstream_;
  static agora::testing::TestRedis* redis_;
  static GatewayProcess* gateway_;
};

TestKeys* GatewayHttpTest::keys_ = nullptr;
TestUpstream* GatewayHttpTest::upstream_ = nullptr;
agora::testing::TestRedis* GatewayHttpTest::redis_ = nullptr;
GatewayProcess* GatewayHttpTest::gateway_ = nullptr;

// --- Routing: every annotation form ---------------------------------------

TEST_F(GatewayHttpTest, MultiSegmentVariableRoutesToItsRpc) {
  HttpResult result = Send(port(), "GET", "/v1/tenants/fr/ideas/i1");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.Json()["method"], "GetIdea");
  EXPECT_EQ(Received(result)["name"], "tenants/fr/ideas/i1");
  EXPECT_EQ(result.Header("content-type"), "application/json");
}

TEST_F(GatewayHttpTest, QueryParametersOfEveryKindFillTheRequest) {
  HttpResult result =
      Send(port(), "GET",
           "/v1/tenants/fr/ideas?pageSize=5&page_token=t%2B1&tags=a&tags=b+c"
           "&kind=KIND_QUESTION&openOnly=true&since=2026-01-02T03:04:05Z"
           "&readMask=title,score&minScore=3&filter.text=hi%20there"
           "&filter.minViews=7&minWeight=0.5&maxViews=18446744073709551615");
  ASSERT_EQ(result.status, 200) << result.body;
  nlohmann::json request = Received(result);
  EXPECT_EQ(request["parent"], "tenants/fr");
  EXPECT_EQ(request["page_size"], 5);
  EXPECT_EQ(request["page_token"], "t+1");
  EXPECT_EQ(request["tags"], nlohmann::json({"a", "b c"}));
  EXPECT_EQ(request["kind"], "KIND_QUESTION");
  EXPECT_EQ(request["open_only"], true);
  EXPECT_EQ(request["since"], "2026-01-02T03:04:05Z");
  EXPECT_EQ(request["read_mask"], "title,score");
  EXPECT_EQ(request["min_score"], 3);
  EXPECT_EQ(request["filter"]["text"], "hi there");
  EXPECT_EQ(request["filter"]["min_views"], "7");
  EXPECT_EQ(request["min_weight"], 0.5);
  EXPECT_EQ(request["max_views"], "18446744073709551615");
}

TEST_F(GatewayHttpTest, BodyFieldAndPathVariableFillTheRequest) {
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/ideas?requestId=r1",
                           R"({"title":"Lower fees","score":2,"kind":1})",
                           {{"authorization", Bearer("fr", "creator")}});
  ASSERT_EQ(result.status, 200) << result.body;
  nlohmann::json request = Received(result);
  EXPECT_EQ(result.Json()["method"], "CreateIdea");
  EXPECT_EQ(request["parent"], "tenants/fr");
  EXPECT_EQ(request["request_id"], "r1");
  EXPECT_EQ(request["idea"]["title"], "Lower fees");
  EXPECT_EQ(request["idea"]["score"], 2);
  EXPECT_EQ(request["idea"]["kind"], "KIND_IDEA");
}

TEST_F(GatewayHttpTest, NestedPathVariableWinsOverTheBody) {
  HttpResult result =
      Send(port(), "PATCH", "/v1/tenants/fr/ideas/i1?updateMask=title",
           R"({"name":"tenants/de/ideas/other","title":"New"})",
           {{"authorization", Bearer()}});
  ASSERT_EQ(result.status, 200) << result.body;
  nlohmann::json request = Received(result);
  EXPECT_EQ(result.Json()["method"], "UpdateIdea");
  EXPECT_EQ(request["idea"]["name"], "tenants/fr/ideas/i1");
  EXPECT_EQ(request["idea"]["title"], "New");
  EXPECT_EQ(request["update_mask"], "title");
}

TEST_F(GatewayHttpTest, CustomVerbWithWholeBody) {
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/ideas/i1:vote",
                           R"({"stars":4})", {{"authorization", Bearer()}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.Json()["method"], "VoteIdea");
  EXPECT_EQ(Received(result)["name"], "tenants/fr/ideas/i1");
  EXPECT_EQ(Received(result)["stars"], 4);
}

TEST_F(GatewayHttpTest, AdditionalBindingRoutesToTheSameRpc) {
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/votes/i9",
                           R"({"stars":1})", {{"authorization", Bearer()}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.Json()["method"], "VoteIdea");
  EXPECT_EQ(Received(result)["tenant"], "fr");
  EXPECT_EQ(Received(result)["idea_id"], "i9");
  EXPECT_FALSE(Received(result).contains("name"));
}

TEST_F(GatewayHttpTest, DeleteAnswersTheEmptyObject) {
  HttpResult result = Send(port(), "DELETE", "/v1/tenants/fr/ideas/i1", "",
                           {{"authorization", Bearer()}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.body, "{}");
}

TEST_F(GatewayHttpTest, DoubleWildcardTakesTheRestOfThePath) {
  HttpResult result = Send(port(), "GET", "/v1/files/a/b%2Fc/d.txt");
  ASSERT_EQ(result.status, 200) << result.body;
  // Multi-segment variables keep an encoded slash encoded.
  EXPECT_EQ(Received(result)["path"], "a/b%2Fc/d.txt");
}

TEST_F(GatewayHttpTest, SingleSegmentVariableIsPercentDecoded) {
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/votes/i%201",
                           R"({"stars":1})", {{"authorization", Bearer()}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(Received(result)["idea_id"], "i 1");
}

TEST_F(GatewayHttpTest, ResponseBodyAnswersOnlyThatField) {
  HttpResult result = Send(port(), "GET", "/v1/tenants/fr/wrapped/w1");
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(result.Json(),
            nlohmann::json({{"name", "tenants/fr/wrapped/w1"}, {"score", 7}}));
}

TEST_F(GatewayHttpTest, TenantHostShortensThePath) {
  HttpResult result =
      Send(port(), "GET", "/v1/ideas/i2", "", {{"host", "fr.test"}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_EQ(Received(result)["name"], "tenants/fr/ideas/i2");
}

TEST_F(GatewayHttpTest, HostAndPathNamingDifferentTenantsIsRefused) {
  const int calls = upstream_->calls();
  HttpResult result =
      Send(port(), "GET", "/v1/tenants/fr/ideas/i2", "", {{"host", "de.test"}});
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.Json()["message"].get<std::string>(), HasSubstr("tenant"));
  EXPECT_EQ(upstream_->calls(), calls);
}

TEST_F(GatewayHttpTest, UnknownPathIs404AndWrongMethod405) {
  HttpResult missing = Send(port(), "GET", "/v1/nothing/here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json()["code"], "NOT_FOUND");
  HttpResult wrong = Send(port(), "PUT", "/v1/tenants/fr/ideas/i1", "{}");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_THAT(wrong.Header("allow"), HasSubstr("GET"));
  EXPECT_THAT(wrong.Header("allow"), HasSubstr("DELETE"));
}

TEST_F(GatewayHttpTest, UnannotatedRpcHasNoRoute) {
  EXPECT_EQ(
      Send(port(), "GET", "/agora.gatewaytest.v1.TestService/Hidden").status,
      404);
}

// --- JSON mapping errors: 400 naming the field, nothing sent upstream -----

TEST_F(GatewayHttpTest, BadRequestsAreRefusedBeforeTheUpstream) {
  struct Case {
    std::string method, target, body, names;
  };
  const std::vector<Case> cases = {
      {"POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":4,"bogus":1})",
       "bogus"},
      {"POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":"many"})", "stars"},
      {"POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":99999999999})",
       "stars"},
      {"POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":1e400})", ""},
      {"POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":)", ""},
      {"POST", "/v1/tenants/fr/ideas/i1:vote", "[1,2]", ""},
      {"POST", "/v1/tenants/fr/ideas", R"({"title":5})", "title"},
      {"POST", "/v1/tenants/fr/ideas", R"({"nested":{"child":{"nope":1}}})",
       "nope"},
      {"GET", "/v1/tenants/fr/ideas?pageSize=abc", "", "pageSize"},
      {"GET", "/v1/tenants/fr/ideas?nope=1", "", "nope"},
      {"GET", "/v1/tenants/fr/ideas?kind=KIND_NOPE", "", "kind"},
      {"GET", "/v1/tenants/fr/ideas?openOnly=maybe", "", "openOnly"},
      {"GET", "/v1/tenants/fr/ideas?since=yesterday", "", "since"},
      {"GET", "/v1/tenants/fr/ideas?filter=x", "", "filter"},
      {"GET", "/v1/tenants/fr/ideas?page_token=%ZZ", "", "encoded"},
      {"GET", "/v1/tenants/fr/ideas/i%ZZ", "", "name"},
      {"GET", "/v1/tenants/fr/ideas/i%00", "", "name"},
      {"GET", "/v1/tenants/fr/ideas/i1", R"({"x":1})", "body"},
      {"POST", "/v1/tenants/fr/ideas/i1:vote?stars=3", R"({})", "stars"},
  };
  const int calls = upstream_->calls();
  for (const Case& c : cases) {
    HttpResult result =
        Send(port(), c.method, c.target, c.body, {{"authorization", Bearer()}});
    EXPECT_EQ(result.status, 400)
        << c.target << " " << c.body << " -> " << result.body;
    EXPECT_EQ(result.Json()["code"], "INVALID_ARGUMENT") << result.body;
    EXPECT_THAT(result.Json()["message"].get<std::string>(), HasSubstr(c.names))
        << c.body;
  }
  EXPECT_EQ(upstream_->calls(), calls);
}

TEST_F(GatewayHttpTest, DeepNestingIsRefused) {
  std::string body = R"({"nested":)";
  for (int i = 0; i < 200; ++i) body += R"({"child":)";
  body += "{}";
  for (int i = 0; i < 200; ++i) body += "}";
  body += "}";
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/ideas", body,
                           {{"authorization", Bearer("fr", "nester")}});
  EXPECT_EQ(result.status, 400);
  EXPECT_THAT(result.Json()["message"].get<std::string>(),
              HasSubstr("nested deeper"));
}

// --- The status table -----------------------------------------------------

TEST_F(GatewayHttpTest, EveryGrpcCodeMapsToItsHttpStatus) {
  const std::vector<std::pair<int, int>> table = {
      {1, 499},  {2, 500},  {3, 400},  {4, 504},  {5, 404},  {6, 409},
      {7, 403},  {8, 429},  {9, 400},  {10, 409}, {11, 400}, {12, 501},
      {13, 500}, {14, 503}, {15, 500}, {16, 401}};
  for (const auto& [code, http] : table) {
    HttpResult result =
        Send(port(), "GET",
             absl::StrCat("/v1/fail/", code, "?message=secret%20detail"));
    EXPECT_EQ(result.status, http) << "gRPC code " << code;
    nlohmann::json body = result.Json();
    EXPECT_TRUE(body["request_id"].is_string() &&
                !body["request_id"].get<std::string>().empty());
    EXPECT_EQ(body["request_id"], result.Header("x-request-id"));
    EXPECT_TRUE(body["details"].is_array());
    const bool internal = code == 2 || code == 13 || code == 15 || code == 14;
    EXPECT_EQ(
        absl::StrContains(body["message"].get<std::string>(), "secret detail"),
        !internal && code != 4 && code != 1 && code != 12)
        << "gRPC code " << code << ": " << result.body;
  }
}

TEST_F(GatewayHttpTest, ErrorInfoPassesThroughAndEtagMismatchIs412) {
  HttpResult result =
      Send(port(), "GET", "/v1/fail/9?message=stale&reason=ETAG_MISMATCH");
  EXPECT_EQ(result.status, 412);
  nlohmann::json body = result.Json();
  EXPECT_EQ(body["code"], "FAILED_PRECONDITION");
  EXPECT_EQ(body["message"], "stale");
  ASSERT_EQ(body["details"].size(), 1u) << result.body;
  EXPECT_EQ(body["details"][0]["@type"],
            "type.googleapis.com/google.rpc.ErrorInfo");
  EXPECT_EQ(body["details"][0]["reason"], "ETAG_MISMATCH");
  EXPECT_EQ(body["details"][0]["domain"], "agora.community");
}

TEST_F(GatewayHttpTest, RetryInfoBecomesRetryAfter) {
  HttpResult result =
      Send(port(), "GET", "/v1/fail/8?reason=RATE_LIMITED&retryAfterMs=2500");
  EXPECT_EQ(result.status, 429);
  EXPECT_EQ(result.Header("retry-after"), "3");
}

TEST_F(GatewayHttpTest, DeadlineOfTheUpstreamCallIs504) {
  HttpResult result = Send(port(), "GET", "/v1/sleep/3000");
  EXPECT_EQ(result.status, 504);
  EXPECT_EQ(result.Json()["code"], "DEADLINE_EXCEEDED");
}

// --- Authentication and tenants --------------------------------------------

TEST_F(GatewayHttpTest, WritesNeedAToken) {
  const int calls = upstream_->calls();
  HttpResult result =
      Send(port(), "POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":1})");
  EXPECT_EQ(result.status, 401);
  EXPECT_EQ(result.Header("www-authenticate"), "Bearer");
  EXPECT_EQ(result.Json()["message"], "missing bearer token");
  EXPECT_EQ(upstream_->calls(), calls);
}

TEST_F(GatewayHttpTest, PublicReadsNeedNone) {
  HttpResult result = Send(port(), "GET", "/v1/tenants/fr/ideas/i1");
  EXPECT_EQ(result.status, 200);
  EXPECT_FALSE(result.Json()["metadata"].contains("authorization"));
}

TEST_F(GatewayHttpTest, ExpiredForgedTamperedAndMalformedTokensAre401) {
  const std::string expired = keys_->Token("fr", "alice", -absl::Minutes(5));
  std::string tampered = keys_->Token("fr", "alice");
  tampered[tampered.find('.') + 3] ^= 1;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {absl::StrCat("Bearer ", expired), "expired"},
      {absl::StrCat("Bearer ", keys_->ForgedToken("fr", "alice")), "key"},
      {absl::StrCat("Bearer ", tampered), ""},
      {"Bearer not.a.token", ""},
      {"Basic YWxpY2U6cGFzcw==", "scheme"},
  };
  const int calls = upstream_->calls();
  for (const auto& [header, says] : cases) {
    // A bad token is refused even on a public read: never downgraded to
    // anonymous.
    HttpResult result = Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "",
                             {{"authorization", header}});
    EXPECT_EQ(result.status, 401) << header;
    EXPECT_EQ(result.Json()["code"], "UNAUTHENTICATED");
    EXPECT_THAT(result.Json()["message"].get<std::string>(), HasSubstr(says));
  }
  EXPECT_EQ(upstream_->calls(), calls);
}

TEST_F(GatewayHttpTest, TokenOfAnotherTenantIsRefused) {
  const int calls = upstream_->calls();
  HttpResult result = Send(port(), "POST", "/v1/tenants/fr/ideas/i1:vote",
                           R"({"stars":1})", {{"authorization", Bearer("de")}});
  EXPECT_EQ(result.status, 403);
  EXPECT_EQ(result.Json()["code"], "PERMISSION_DENIED");
  EXPECT_EQ(upstream_->calls(), calls);
}

TEST_F(GatewayHttpTest, TokenAndCallFactsTravelToTheService) {
  const std::string bearer = Bearer();
  const std::string traceparent =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  HttpResult result =
      Send(port(), "POST", "/v1/tenants/fr/ideas/i1:vote", R"({"stars":2})",
           {{"authorization", bearer},
            {"x-request-id", "req-123"},
            {"traceparent", traceparent}});
  ASSERT_EQ(result.status, 200) << result.body;
  nlohmann::json metadata = result.Json()["metadata"];
  EXPECT_EQ(metadata["authorization"], bearer);
  EXPECT_EQ(metadata["x-request-id"], "req-123");
  EXPECT_EQ(result.Header("x-request-id"), "req-123");
  EXPECT_EQ(metadata["traceparent"], traceparent);
  EXPECT_EQ(metadata["x-forwarded-for"], "127.0.0.1");
}

TEST_F(GatewayHttpTest, UnacceptableRequestIdAndTraceparentAreReplaced) {
  HttpResult result = Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "",
                           {{"x-request-id", "bad id\twith spaces"},
                            {"traceparent", "00-zz-yy-01"}});
  ASSERT_EQ(result.status, 200);
  nlohmann::json metadata = result.Json()["metadata"];
  EXPECT_NE(metadata["x-request-id"], "bad id\twith spaces");
  EXPECT_EQ(metadata["x-request-id"].get<std::string>().size(), 32u);
  EXPECT_FALSE(metadata.contains("traceparent"));
}

// --- Rate limits ----------------------------------------------------------

TEST_F(GatewayHttpTest, RateLimitAnswers429ThenRecovers) {
  const Headers member = {{"authorization", Bearer("fr", "limited")}};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Send(port(), "POST", "/v1/tenants/fr/ideas", "{}", member).status,
              200)
        << i;
  }
  HttpResult refused =
      Send(port(), "POST", "/v1/tenants/fr/ideas", "{}", member);
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.Json()["code"], "RESOURCE_EXHAUSTED");
  std::string reason;
  const nlohmann::json refusal = refused.Json();
  for (const auto& detail : refusal["details"]) {
    if (detail.value("@type", "") ==
        "type.googleapis.com/google.rpc.ErrorInfo") {
      reason = detail.value("reason", "");
    }
  }
  EXPECT_EQ(reason, "RATE_LIMITED") << refused.body;
  const int retry_after = std::stoi(refused.Header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 2);
  // Another member has a bucket of their own.
  EXPECT_EQ(Send(port(), "POST", "/v1/tenants/fr/ideas", "{}",
                 {{"authorization", Bearer("fr", "unlimited")}})
                .status,
            200);
  // Other route classes of the same member are not limited by this one.
  EXPECT_EQ(Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "", member).status,
            200);
  absl::SleepFor(absl::Seconds(retry_after) + absl::Milliseconds(100));
  EXPECT_EQ(Send(port(), "POST", "/v1/tenants/fr/ideas", "{}", member).status,
            200);
}

// --- Request limits --------------------------------------------------------

TEST_F(GatewayHttpTest, OversizeBodyIs413AndOversizeHeader431) {
  HttpResult big = SendRaw(port(),
                           "POST /v1/tenants/fr/ideas HTTP/1.1\r\nHost: x\r\n"
                           "Content-Length: 1000000\r\n\r\n");
  EXPECT_EQ(big.status, 413);
  HttpResult header = Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "",
                           {{"x-padding", std::string(20000, 'a')}});
  EXPECT_EQ(header.status, 431);
  EXPECT_EQ(Send(port(), "GET", "/healthz").status, 200);
}

TEST_F(GatewayHttpTest, GarbageIs400) {
  EXPECT_EQ(SendRaw(port(), "HELLO\r\n\r\n").status, 400);
  EXPECT_EQ(
      SendRaw(port(), "GET http://evil/ HTTP/1.1\r\nHost: x\r\n\r\n").status,
      400);
}

// --- CORS -------------------------------------------------------------------

TEST_F(GatewayHttpTest, CorsFollowsTheTenantsOrigins) {
  HttpResult preflight =
      Send(port(), "OPTIONS", "/v1/tenants/fr/ideas/i1:vote", "",
           {{"origin", "https://app.fr.test"},
            {"access-control-request-method", "POST"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(preflight.Header("access-control-allow-origin"),
            "https://app.fr.test");
  EXPECT_THAT(preflight.Header("access-control-allow-headers"),
              HasSubstr("authorization"));
  HttpResult other = Send(port(), "OPTIONS", "/v1/tenants/de/ideas/i1:vote", "",
                          {{"origin", "https://app.fr.test"},
                           {"access-control-request-method", "POST"}});
  EXPECT_EQ(other.status, 403);
  EXPECT_EQ(other.Header("access-control-allow-origin"), "");
  HttpResult get = Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "",
                        {{"origin", "https://app.fr.test"}});
  EXPECT_EQ(get.Header("access-control-allow-origin"), "https://app.fr.test");
  HttpResult stranger = Send(port(), "GET", "/v1/tenants/fr/ideas/i1", "",
                             {{"origin", "https://evil.example"}});
  EXPECT_EQ(stranger.Header("access-control-allow-origin"), "");
}

// --- Fixed endpoints --------------------------------------------------------

TEST_F(GatewayHttpTest, HealthMetricsAndJwks) {
  EXPECT_EQ(Send(port(), "GET", "/healthz").status, 200);
  ASSERT_EQ(Send(port(), "GET", "/v1/tenants/fr/ideas/m1").status, 200);
  HttpResult metrics = Send(port(), "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_THAT(
      metrics.body,
      HasSubstr("gateway_http_requests_total{route=\"agora."
                "gatewaytest.v1.TestService.GetIdea\",status=\"200\"}"));
  EXPECT_THAT(metrics.body, HasSubstr("gateway_http_request_duration_seconds"));
  HttpResult jwks = Send(port(), "GET", "/.well-known/jwks.json");
  ASSERT_EQ(jwks.status, 200) << jwks.body;
  EXPECT_EQ(jwks.Json()["keys"][0]["kid"], "test-kid");
  EXPECT_EQ(jwks.Json()["keys"][0]["kty"], "OKP");
  EXPECT_EQ(Send(port(), "POST", "/healthz", "{}").status, 405);
}

// --- Short links
// --------------------------------------------------------------

TEST_F(GatewayHttpTest, ShortLinkRedirectsPeople) {
  HttpResult result =
      Send(port(), "GET", "/s/abc123", "",
           {{"host", "fr.test"},
            {"user-agent", "Mozilla/5.0"},
            {"referer", "https://www.facebook.com/some/post?id=1"}});
  ASSERT_EQ(result.status, 302) << result.body;
  EXPECT_EQ(result.Header("location"),
            "https://fr.example/posts/p1?utm_source=x&utm_medium=social");
  EXPECT_EQ(result.Header("cache-control"), "no-store");
  nlohmann::json resolve =
      nlohmann::json::parse(upstream_->last_resolve(), nullptr, false);
  EXPECT_EQ(resolve["name"], "tenants/fr/shortLinks/abc123");
  EXPECT_EQ(resolve["referrer_host"], "www.facebook.com");
  EXPECT_EQ(resolve["user_agent"], "Mozilla/5.0");
  const std::string visitor = resolve["visitor_key"];
  EXPECT_EQ(visitor.size(), 64u);
  EXPECT_THAT(visitor, ::testing::Not(HasSubstr("127.0.0.1")));
}

TEST_F(GatewayHttpTest, ShortLinkServesCrawlersAnEscapedPreview) {
  HttpResult result = Send(
      port(), "GET", "/s/abc123", "",
      {{"host", "fr.test"}, {"user-agent", "facebookexternalhit/1.1 Bot"}});
  ASSERT_EQ(result.status, 200) << result.body;
  EXPECT_THAT(result.Header("content-type"), HasSubstr("text/html"));
  EXPECT_THAT(result.Header("content-security-policy"),
              HasSubstr("frame-ancestors 'none'"));
  EXPECT_THAT(result.Header("content-security-policy"),
              HasSubstr("default-src 'none'"));
  EXPECT_EQ(result.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(result.Header("x-frame-options"), "DENY");
  EXPECT_THAT(result.body, HasSubstr("<meta property=\"og:title\" content=\"A "
                                     "&lt;script&gt;alert(1)&lt;/script&gt; "
                                     "&quot;idea&quot;\">"));
  EXPECT_THAT(result.body, HasSubstr("Cheaper &amp; faster"));
  EXPECT_THAT(result.body, ::testing::Not(HasSubstr("<script>")));
}

TEST_F(GatewayHttpTest, ShortLinkNeverRedirectsToAnUnsafeTarget) {
  EXPECT_EQ(Send(port(), "GET", "/s/evil1", "", {{"host", "fr.test"}}).status,
            502);
  EXPECT_EQ(
      Send(port(), "GET", "/s/unknown1", "", {{"host", "fr.test"}}).status,
      404);
  EXPECT_EQ(Send(port(), "GET", "/s/abc123").status, 404);  // no tenant host
  EXPECT_EQ(Send(port(), "GET", "/s/a%2Fb", "", {{"host", "fr.test"}}).status,
            404);
}

}  // namespace
}  // namespace agora::gateway::testing
