// The gateway's pieces that need no process: path templates, tenant hosts,
// configuration parsing, short-link helpers, the status table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "gateway/error_response.h"
#include "gateway/openapi.h"
#include "gateway/path_template.h"
#include "gateway/rate_limiter.h"
#include "gateway/short_links.h"
#include "gateway/tenancy.h"
#include "gateway/transcoder.h"
#include "gateway/upstreams.h"

namespace agora::gateway {
namespace {

std::vector<PathBinding> MatchOf(const std::string& text,
                                 const std::string& path) {
  absl::StatusOr<PathTemplate> parsed = PathTemplate::Parse(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  absl::StatusOr<std::optional<std::vector<PathBinding>>> match =
      parsed->Match(path);
  EXPECT_TRUE(match.ok()) << match.status();
  EXPECT_TRUE(match->has_value()) << text << " vs " << path;
  return match->value_or(std::vector<PathBinding>{});
}

bool Matches(const std::string& text, const std::string& path) {
  absl::StatusOr<std::optional<std::vector<PathBinding>>> match =
      PathTemplate::Parse(text)->Match(path);
  return match.ok() && match->has_value();
}

TEST(PathTemplateTest, BindsVariablesOfEveryForm) {
  auto single = MatchOf("/v1/tenants/{tenant}/votes/{idea_id}",
                        "/v1/tenants/fr/votes/i%2F1");
  ASSERT_EQ(single.size(), 2u);
  EXPECT_EQ(single[0].field_path, "tenant");
  EXPECT_EQ(single[0].value, "fr");
  EXPECT_EQ(single[1].value, "i/1");  // single segment: %2F decoded
  auto multi = MatchOf("/v1/{share_settings.name=tenants/*/shareSettings}",
                       "/v1/tenants/fr/shareSettings");
  EXPECT_EQ(multi[0].field_path, "share_settings.name");
  EXPECT_EQ(multi[0].value, "tenants/fr/shareSettings");
  auto verb = MatchOf("/v1/{name=tenants/*/members/*}:suspend",
                      "/v1/tenants/fr/members/m1:suspend");
  EXPECT_EQ(verb[0].value, "tenants/fr/members/m1");
  auto rest = MatchOf("/v1/files/{path=**}", "/v1/files/a/b%2Fc");
  EXPECT_EQ(rest[0].value, "a/b%2Fc");
}

TEST(PathTemplateTest, RefusesWhatDoesNotMatch) {
  EXPECT_FALSE(Matches("/v1/{name=tenants/*/ideas/*}", "/v1/tenants/fr/ideas"));
  EXPECT_FALSE(Matches("/v1/{name=tenants/*/ideas/*}", "/v1/tenants//ideas/x"));
  EXPECT_FALSE(Matches("/v1/{name=tenants/*}:verb", "/v1/tenants/fr:other"));
  EXPECT_FALSE(Matches("/v1/{name=tenants/*}:verb", "/v1/tenants/fr"));
  EXPECT_FALSE(Matches("/v1/tenants", "/v1/tenants/"));
  EXPECT_FALSE(Matches("/v1/tenants", "v1/tenants"));
  absl::StatusOr<std::optional<std::vector<PathBinding>>> bad =
      PathTemplate::Parse("/v1/{name=tenants/*}")->Match("/v1/tenants/%zz");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(PathTemplateTest, RefusesBadTemplates) {
  for (const char* text : {"v1/x", "/v1/{name", "/v1/{na me}", "/v1/**/x",
                           "/v1/{a}/{a}", "/v1/x:", "/v1/{1a}"}) {
    EXPECT_FALSE(PathTemplate::Parse(text).ok()) << text;
  }
}

TEST(PathTemplateTest, VerbsAndLiteralsAreMoreSpecific) {
  EXPECT_GT(PathTemplate::Parse("/v1/{x=a/*}:go")->Specificity(),
            PathTemplate::Parse("/v1/{x=a/*}")->Specificity());
  EXPECT_GT(PathTemplate::Parse("/v1/a/b")->Specificity(),
            PathTemplate::Parse("/v1/a/*")->Specificity());
}

TEST(OpenApiPathTest, WildcardsAreNamedAfterTheirCollection) {
  OpenApiPath path = ToOpenApiPath(
      *PathTemplate::Parse("/v1/{name=tenants/*/categories/*}:merge"));
  EXPECT_EQ(path.path, "/v1/tenants/{tenant}/categories/{category}:merge");
  EXPECT_EQ(path.parameters, std::vector<std::string>({"tenant", "category"}));
  EXPECT_EQ(ToOpenApiPath(*PathTemplate::Parse("/v1/x/{id}")).path,
            "/v1/x/{id}");
}

TEST(PercentDecodeTest, DecodesAndRefusesControlCharacters) {
  EXPECT_EQ(PercentDecode("a%20b", true), "a b");
  EXPECT_EQ(PercentDecode("a%2fb", false), "a%2fb");
  EXPECT_FALSE(PercentDecode("a%2", true).has_value());
  EXPECT_FALSE(PercentDecode("a%0Ab", true).has_value());
  EXPECT_FALSE(PercentDecode("a\x01", true).has_value());
}

TEST(TenancyTest, TenantOfHostAndPath) {
  absl::StatusOr<TenantHosts> hosts =
      TenantHosts::Parse("community.bank.example=fr", ".agora.example");
  ASSERT_TRUE(hosts.ok());
  EXPECT_EQ(hosts->TenantOf("community.bank.example"), "fr");
  EXPECT_EQ(hosts->TenantOf("Community.Bank.Example:443"), "fr");
  EXPECT_EQ(hosts->TenantOf("de.agora.example"), "de");
  EXPECT_EQ(hosts->TenantOf("a.b.agora.example"), "");
  EXPECT_EQ(hosts->TenantOf("agora.example"), "");
  EXPECT_EQ(hosts->TenantOf("evil.example"), "");
  EXPECT_FALSE(TenantHosts::Parse("x=Bad_Tenant", "").ok());
  EXPECT_EQ(TenantOfBindings({{"name", "tenants/fr/posts/p1"}}), "fr");
  EXPECT_EQ(TenantOfBindings({{"parent", "tenants/de"}}), "de");
  EXPECT_EQ(TenantOfBindings({{"name", "serviceAccounts/x"}}), "");
}

TEST(TenancyTest, CorsOriginsPerTenant) {
  absl::StatusOr<CorsPolicy> cors =
      CorsPolicy::Parse("fr=https://a.fr|https://b.fr,*=https://admin.example");
  ASSERT_TRUE(cors.ok());
  EXPECT_TRUE(cors->Allows("fr", "https://b.fr"));
  EXPECT_FALSE(cors->Allows("de", "https://b.fr"));
  EXPECT_TRUE(cors->Allows("de", "https://admin.example"));
  EXPECT_FALSE(CorsPolicy::Parse("fr=javascript:x").ok());
}

TEST(ConfigurationTest, ParsesUpstreamsAndRateLimits) {
  auto upstreams =
      ParseUpstreams("agora.identity.v1=h:1, agora.share.v1=dns:///s:2");
  ASSERT_TRUE(upstreams.ok());
  ASSERT_EQ(upstreams->size(), 2u);
  EXPECT_EQ((*upstreams)[1].address, "dns:///s:2");
  EXPECT_FALSE(ParseUpstreams("nonsense").ok());
  auto limits = ParseRateLimits("vote=600/1m,login=10/30s");
  ASSERT_TRUE(limits.ok());
  EXPECT_EQ((*limits)["vote"].count, 600);
  EXPECT_EQ((*limits)["login"].period, absl::Seconds(30));
  EXPECT_FALSE(ParseRateLimits("vote=0/1m").ok());
  EXPECT_FALSE(ParseRateLimits("vote=10").ok());
  EXPECT_FALSE(ParseRouteClasses("a.b.C").ok());
}

TEST(ShortLinksTest, RedirectTargetsAndHelpers) {
  EXPECT_TRUE(IsSafeRedirectUrl("https://fr.example/p/1?utm=a&b=c"));
  for (const char* bad :
       {"javascript:alert(1)", "//evil.example", "https://", "data:text/html,x",
        "https://a.example/\r\nSet-Cookie: x", "https://user@evil.example/",
        "https://a.example/\"><script>", "ftp://a.example/"}) {
    EXPECT_FALSE(IsSafeRedirectUrl(bad)) << bad;
  }
  EXPECT_EQ(RefererHost("https://WWW.Facebook.com:443/x?y"),
            "www.facebook.com");
  EXPECT_EQ(RefererHost("android-app://x"), "");
  EXPECT_TRUE(IsShortCode("aB3dE5gH7j"));
  EXPECT_FALSE(IsShortCode("a/b"));
  EXPECT_FALSE(IsShortCode(""));
  const std::string key = VisitorKey("secret", "10.0.0.1", "Mozilla");
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, VisitorKey("secret", "10.0.0.1", "Mozilla"));
  EXPECT_NE(key, VisitorKey("other", "10.0.0.1", "Mozilla"));
}

TEST(ErrorResponseTest, BodyNamesCodeMessageAndRequestId) {
  HttpResponse response =
      ErrorResponse(absl::NotFoundError("no such post"), "rid-1");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.body,
            R"({"code":"NOT_FOUND","details":[],"message":"no such post",)"
            R"("request_id":"rid-1"})");
  HttpResponse internal =
      ErrorResponse(absl::InternalError("pq: relation x"), "rid-2");
  EXPECT_EQ(internal.status, 500);
  EXPECT_THAT(internal.body, ::testing::Not(::testing::HasSubstr("pq:")));
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kFailedPrecondition), 400);
  EXPECT_EQ(HttpStatusFor(absl::StatusCode::kFailedPrecondition,
                          std::string("ETAG_MISMATCH")),
            412);
}

TEST(JsonDepthTest, CountsOutsideStringsOnly) {
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"[[[[[[[[[[[[["})", 3).ok());
  EXPECT_TRUE(CheckJsonDepth(R"({"a":"\"[[[["})", 3).ok());
  EXPECT_FALSE(CheckJsonDepth("[[[[", 3).ok());
  EXPECT_EQ(CleanJsonError("bad\nquoted input\n   ^"), "bad");
}

}  // namespace
}  // namespace agora::gateway
