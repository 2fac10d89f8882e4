// ResolveShortLink as the gateway calls it, on real PostgreSQL and Redis:
// clicks and unique visitors counted (visible once flushed), crawlers
// apart, hidden posts sent to the "no longer available" page, no redirect
// ever off the tenant's allowed hosts, codes checked before any lookup,
// rate limits per visitor, only the gateway's scope, tenants isolated.
#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "tests/services/share/share_fixture.h"

namespace agora::share {
namespace {

constexpr char kFacebookCrawler[] =
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)";

class ResolveTest : public ShareTest {};

TEST_F(ResolveTest, CountsClicksAndUniqueVisitorsOnceFlushed) {
  Publish({.id = "p1", .title = "Une idée", .excerpt = "Le corps"});
  const std::string code = CodeOf("ana", "fr", "p1");
  for (int visitor : {0, 1, 2, 0}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve("fr", code, Visitor(visitor));
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    EXPECT_TRUE(resolved->available());
    EXPECT_FALSE(resolved->bot());
    EXPECT_EQ(resolved->redirect_url(),
              "https://fr.agora.example/posts/p1?utm_source=facebook"
              "&utm_medium=social&utm_campaign=agora");
    EXPECT_EQ(resolved->post().name(), "tenants/fr/posts/p1");
    EXPECT_EQ(resolved->preview().title(), "Une idée");
    EXPECT_EQ(resolved->preview().description(), "Le corps");
    EXPECT_EQ(resolved->preview().canonical_url(),
              "https://fr.agora.example/posts/p1");
  }
  EXPECT_EQ(Link("fr", code).clicks(), 0)
      << "PostgreSQL learns clicks at the flush";
  const FlushStats stats = Flush("fr");
  EXPECT_EQ(stats.clicks, 4);
  const v1::ShortLink link = Link("fr", code);
  EXPECT_EQ(link.clicks(), 4);
  EXPECT_EQ(link.unique_visitors(), 3);
  EXPECT_EQ(link.bot_clicks(), 0);
  EXPECT_TRUE(link.has_first_click_time());
  EXPECT_EQ(link.first_click_time().seconds(), absl::ToUnixSeconds(now_));
  EXPECT_EQ(Flush("fr").clicks, 0) << "nothing left to flush";
  EXPECT_EQ(Link("fr", code).clicks(), 4);
}

TEST_F(ResolveTest, CrawlersAreCountedApartNeverAsVisitors) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  int n = 0;
  for (const char* agent :
       {kFacebookCrawler, "Twitterbot/1.0", "LinkedInBot/1.0", "WhatsApp/2.23",
        "TelegramBot (like TwitterBot)", "curl/8.4.0", ""}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve("fr", code, Visitor(n++), agent);
    ASSERT_TRUE(resolved.ok()) << resolved.status();
    EXPECT_TRUE(resolved->bot()) << agent;
    EXPECT_TRUE(resolved->available());
    EXPECT_EQ(resolved->preview().og_type(), "article");
  }
  Flush("fr");
  v1::ShortLink link = Link("fr", code);
  EXPECT_EQ(link.bot_clicks(), 7);
  EXPECT_EQ(link.clicks(), 0);
  EXPECT_EQ(link.unique_visitors(), 0);
  EXPECT_FALSE(link.has_first_click_time()) << "bots do not make a share";
  EXPECT_EQ(CountEvents(events::v1::Event::kPostShared), 0);
  EXPECT_EQ(CountEvents(events::v1::Event::kLinkClicked), 0);

  ASSERT_TRUE(Resolve("fr", code, Visitor(100)).ok());
  Flush("fr");
  link = Link("fr", code);
  EXPECT_EQ(link.clicks(), 1);
  EXPECT_EQ(link.unique_visitors(), 1);
  EXPECT_EQ(link.bot_clicks(), 7);
}

TEST_F(ResolveTest, HiddenPostsLinkNoLongerResolvesToIt) {
  Publish({.id = "p1", .title = "Une idée", .excerpt = "secret"});
  const std::string code = CodeOf("ana", "fr", "p1");
  ASSERT_TRUE(Resolve("fr", code, Visitor(1)).ok()) << "post now cached";
  Hide("fr", "p1");
  absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
      Resolve("fr", code, Visitor(2));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_FALSE(resolved->available());
  EXPECT_EQ(resolved->redirect_url(), "https://fr.agora.example/unavailable");
  EXPECT_FALSE(resolved->preview().available());
  EXPECT_EQ(resolved->preview().title(), "Ce contenu n’est plus disponible");
  EXPECT_EQ(resolved->preview().description(), "");
  EXPECT_FALSE(absl::StrContains(resolved->preview().DebugString(), "secret"));
  EXPECT_EQ(Link("fr", code).state(), v1::ShortLink::STATE_UNAVAILABLE);

  // The same from a replica that had nothing cached (Redis' copy dropped).
  ASSERT_TRUE(redis_
                  ->Run({"DEL", *redis::KeyBuilder(redis_namespace_.prefix())
                                     .TenantKey("fr", {"share", "post", "p1"})})
                  .ok());
  resolved = Resolve("fr", code, Visitor(3));
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->available());

  Publish({.id = "p1", .title = "Une idée revue"});
  resolved = Resolve("fr", code, Visitor(4));
  ASSERT_TRUE(resolved.ok());
  EXPECT_TRUE(resolved->available()) << "restored posts resolve again";
  EXPECT_EQ(resolved->preview().title(), "Une idée revue");
}

TEST_F(ResolveTest, NeverRedirectsOffTheTenantsAllowedHosts) {
  auto update = [&](const std::string& field, const std::string& url) {
    v1::UpdateShareSettingsRequest request;
    request.mutable_share_settings()->set_name("tenants/fr/shareSettings");
    const google::protobuf::FieldDescriptor* descriptor =
        v1::ShareSettings::descriptor()->FindFieldByName(field);
    request.mutable_share_settings()->GetReflection()->SetString(
        request.mutable_share_settings(), descriptor, url);
    request.mutable_update_mask()->add_paths(field);
    return UpdateShareSettings(*context_, Admin("fr"), request);
  };
  for (const std::string& evil :
       {std::string("https://evil.example/phish"),
        std::string("https://fr.agora.example@evil.example/"),
        std::string("https://fr.agora.example.evil.example/"),
        std::string("javascript:alert(1)"), std::string("//evil.example/"),
        std::string("https://evil.example\\@fr.agora.example/")}) {
    for (const char* field :
         {"unavailable_page_url", "default_preview_image_uri"}) {
      absl::StatusOr<v1::ShareSettings> refused = update(field, evil);
      EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
          << field << " = " << evil;
      EXPECT_TRUE(absl::StartsWith(refused.status().message(),
                                   absl::StrCat("share_settings.", field)))
          << refused.status();
    }
  }
  absl::StatusOr<v1::ShareSettings> refused =
      update("public_base_url", "https://evil.example");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status::ReasonOf(refused.status()), "HOST_NOT_ALLOWED");

  // A link made while fr.agora.example was allowed: once the admin moves
  // the tenant to another host, it resolves to the unavailable page there.
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  v1::UpdateShareSettingsRequest move;
  v1::ShareSettings* settings = move.mutable_share_settings();
  settings->set_name("tenants/fr/shareSettings");
  settings->add_allowed_target_hosts("communaute.banque.example");
  settings->set_public_base_url("https://communaute.banque.example");
  settings->set_unavailable_page_url(
      "https://communaute.banque.example/indisponible");
  settings->set_default_preview_image_uri(
      "https://communaute.banque.example/og.png");
  for (const char* path :
       {"allowed_target_hosts", "public_base_url", "unavailable_page_url",
        "default_preview_image_uri"}) {
    move.mutable_update_mask()->add_paths(path);
  }
  ASSERT_TRUE(UpdateShareSettings(*context_, Admin("fr"), move).ok());
  absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
      Resolve("fr", code, Visitor(1));
  ASSERT_TRUE(resolved.ok()) << resolved.status();
  EXPECT_FALSE(resolved->available());
  EXPECT_EQ(resolved->redirect_url(),
            "https://communaute.banque.example/indisponible");
}

TEST_F(ResolveTest, BadInputIsRefusedNamingTheFieldBeforeAnyLookup) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  for (const std::string& bad_code :
       {std::string("abc"), std::string("abcde-ghij"),
        std::string("ABCDEFGHIJK"), std::string("abcdéfghi"),
        std::string("")}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve("fr", bad_code, Visitor(1));
    EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument)
        << bad_code;
    EXPECT_TRUE(absl::StartsWith(resolved.status().message(), "name:"))
        << resolved.status();
  }
  // A tenant share never heard of: the format is refused all the same.
  EXPECT_EQ(Resolve("zz", "bad", Visitor(1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  for (const std::string& visitor :
       {std::string("short"), std::string(129, 'v'),
        std::string("has a space in it ....")}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve("fr", code, visitor);
    EXPECT_EQ(resolved.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(resolved.status().message(), "visitor_key:"))
        << resolved.status();
  }
  EXPECT_EQ(Resolve("fr", "zzzzzzzzzz", Visitor(1)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ResolveTest, ResolutionsAreRateLimitedPerVisitor) {
  v1::UpdateShareSettingsRequest request;
  request.mutable_share_settings()->set_name("tenants/fr/shareSettings");
  request.mutable_share_settings()->set_max_resolutions_per_visitor_per_minute(
      3);
  request.mutable_update_mask()->add_paths(
      "max_resolutions_per_visitor_per_minute");
  ASSERT_TRUE(UpdateShareSettings(*context_, Admin("fr"), request).ok());
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Resolve("fr", code, Visitor(1)).ok());
  absl::StatusOr<v1::ResolveShortLinkResponse> limited =
      Resolve("fr", code, Visitor(1));
  EXPECT_EQ(limited.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(status::ReasonOf(limited.status()), "RATE_LIMITED");
  EXPECT_TRUE(Resolve("fr", code, Visitor(2)).ok()) << "others are not held";
  now_ += absl::Minutes(1);
  EXPECT_TRUE(Resolve("fr", code, Visitor(1)).ok()) << "a new minute";
  Flush("fr");
  EXPECT_EQ(Link("fr", code).clicks(), 5) << "refused ones are not counted";
}

TEST_F(ResolveTest, OnlyTheGatewaysScopeResolves) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  v1::ResolveShortLinkRequest request;
  request.set_name("tenants/fr/shortLinks/" + code);
  request.set_visitor_key(Visitor(1));
  EXPECT_EQ(
      ResolveShortLink(*context_, Member("fr", "ana"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  auth::Principal unscoped = Gateway("fr");
  unscoped.scopes.clear();
  EXPECT_EQ(ResolveShortLink(*context_, unscoped, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ResolveShortLink(*context_, Gateway("pl"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal platform = Gateway("ops");
  platform.roles.push_back(auth::kRolePlatformAdmin);
  EXPECT_TRUE(ResolveShortLink(*context_, platform, request).ok())
      << "a platform gateway account serves every tenant";
}

TEST_F(ResolveTest, TenantsAreIsolated) {
  Publish({.id = "p1"});
  Publish({.tenant = "pl", .id = "p1", .title = "Pomysł", .language = "pl"});
  const std::string fr_code = CodeOf("ana", "fr", "p1");
  const std::string pl_code = CodeOf("jan", "pl", "p1");
  EXPECT_EQ(Resolve("pl", fr_code, Visitor(1)).status().code(),
            absl::StatusCode::kNotFound);
  absl::StatusOr<v1::ResolveShortLinkResponse> pl =
      Resolve("pl", pl_code, Visitor(1));
  ASSERT_TRUE(pl.ok());
  EXPECT_EQ(pl->redirect_url().rfind("https://pl.agora.example/", 0), 0u);
  ASSERT_TRUE(Resolve("fr", fr_code, Visitor(1)).ok());
  ASSERT_TRUE(Resolve("fr", fr_code, Visitor(2)).ok());
  Flush("fr");
  Flush("pl");
  EXPECT_EQ(Link("fr", fr_code).clicks(), 2);
  EXPECT_EQ(Link("pl", pl_code).clicks(), 1);
  EXPECT_EQ(Link("pl", pl_code).unique_visitors(), 1)
      << "the same visitor key in another tenant is another visitor";
}

TEST_F(ResolveTest, RedisNeverHoldsTheVisitorKey) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  ASSERT_TRUE(Resolve("fr", code, Visitor(7)).ok());
  absl::StatusOr<redis::Reply> keys =
      redis_->Run({"KEYS", redis_namespace_.prefix() + "*"});
  ASSERT_TRUE(keys.ok());
  ASSERT_FALSE(keys->elements.empty());
  for (const redis::Reply& key : keys->elements) {
    const std::string name = key.AsString().value_or("");
    EXPECT_FALSE(absl::StrContains(name, Visitor(7))) << name;
    absl::StatusOr<redis::Reply> type = redis_->Run({"TYPE", name});
    ASSERT_TRUE(type.ok());
    if (type->text == "list") {
      absl::StatusOr<redis::Reply> items =
          redis_->Run({"LRANGE", name, "0", "-1"});
      ASSERT_TRUE(items.ok());
      for (const redis::Reply& item : items->elements) {
        EXPECT_FALSE(
            absl::StrContains(item.AsString().value_or(""), "visitor"));
      }
    }
  }
}

}  // namespace
}  // namespace agora::share
