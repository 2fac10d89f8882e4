// Share settings per tenant: defaults for a tenant identity announced,
// updates by tenant admins only with etags, and invalid values refused
// naming the field.
#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/share/domain/previews.h"
#include "tests/services/share/share_fixture.h"

namespace agora::share {
namespace {

class SettingsTest : public ShareTest {
 protected:
  absl::StatusOr<v1::ShareSettings> Get(const std::string& tenant) {
    v1::GetShareSettingsRequest request;
    request.set_name(absl::StrCat("tenants/", tenant, "/shareSettings"));
    return GetShareSettings(*context_, nullptr, request);
  }

  // Sets `field` of fr's settings through `edit`, with `mask`.
  absl::StatusOr<v1::ShareSettings> Update(
      const std::function<void(v1::ShareSettings&)>& edit,
      const std::string& mask, const auth::Principal& caller = Admin("fr"),
      const std::string& etag = "") {
    v1::UpdateShareSettingsRequest request;
    request.mutable_share_settings()->set_name("tenants/fr/shareSettings");
    request.mutable_share_settings()->set_etag(etag);
    edit(*request.mutable_share_settings());
    request.mutable_update_mask()->add_paths(mask);
    return UpdateShareSettings(*context_, caller, request);
  }
};

TEST_F(SettingsTest, DefaultsUntilAnAdminSetsThem) {
  AnnounceTenant("it", "Europe/Rome");
  absl::StatusOr<v1::ShareSettings> settings = Get("it");
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->name(), "tenants/it/shareSettings");
  ASSERT_EQ(settings->networks_size(), 7);
  for (const v1::NetworkSetting& network : settings->networks()) {
    EXPECT_TRUE(network.enabled());
  }
  EXPECT_EQ(settings->utm_campaign(), "agora");
  EXPECT_EQ(settings->post_path_template(), "/posts/{post}");
  EXPECT_EQ(settings->max_resolutions_per_visitor_per_minute(), 30);
  ASSERT_EQ(settings->visitor_milestones_size(), 3);
  EXPECT_EQ(settings->visitor_milestones(0), 25);
  EXPECT_EQ(settings->visitor_milestones(1), 300);
  EXPECT_EQ(settings->visitor_milestones(2), 1000);
  EXPECT_EQ(settings->etag(), "\"0\"");

  Publish({.tenant = "it", .id = "p1", .language = "it"});
  const auth::Principal member = Member("it", "m");
  EXPECT_EQ(Share(&member, "it", "p1").status().code(),
            absl::StatusCode::kFailedPrecondition)
      << "no links before the tenant's URLs are set";
  EXPECT_EQ(Get("nowhere").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SettingsTest, UpdatesNeedTheCurrentEtag) {
  absl::StatusOr<v1::ShareSettings> before = Get("fr");
  ASSERT_TRUE(before.ok());
  absl::StatusOr<v1::ShareSettings> updated =
      Update([](v1::ShareSettings& s) { s.set_utm_campaign("printemps_2027"); },
             "utm_campaign", Admin("fr"), before->etag());
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->utm_campaign(), "printemps_2027");
  EXPECT_NE(updated->etag(), before->etag());
  EXPECT_EQ(updated->public_base_url(), "https://fr.agora.example")
      << "fields outside the mask are kept";
  absl::StatusOr<v1::ShareSettings> stale =
      Update([](v1::ShareSettings& s) { s.set_utm_campaign("other"); },
             "utm_campaign", Admin("fr"), before->etag());
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale.status()), "ETAG_MISMATCH");
  EXPECT_EQ(Get("fr")->utm_campaign(), "printemps_2027");

  Publish({.id = "p1"});
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::CreateShareLinksResponse> links = Share(&ana, "fr", "p1");
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->share_links(0).short_link().utm_campaign(),
            "printemps_2027");
}

TEST_F(SettingsTest, PlainHttpOnlyOnLoopbackHosts) {
  v1::UpdateShareSettingsRequest request;
  v1::ShareSettings* settings = request.mutable_share_settings();
  settings->set_name("tenants/fr/shareSettings");
  settings->add_allowed_target_hosts("fr.agora.localhost");
  settings->add_allowed_target_hosts("fr.agora.example");
  settings->set_public_base_url("http://fr.agora.localhost:8080");
  settings->set_unavailable_page_url("http://fr.agora.localhost:8080/gone");
  request.mutable_update_mask()->add_paths("allowed_target_hosts");
  request.mutable_update_mask()->add_paths("public_base_url");
  request.mutable_update_mask()->add_paths("unavailable_page_url");
  EXPECT_TRUE(UpdateShareSettings(*context_, Admin("fr"), request).ok())
      << "deploy/up's development hosts";
  settings->set_public_base_url("http://fr.agora.example");
  absl::StatusOr<v1::ShareSettings> refused =
      UpdateShareSettings(*context_, Admin("fr"), request);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(refused.status().message(),
                               "share_settings.public_base_url"));
}

TEST_F(SettingsTest, OnlyTheTenantsAdminsUpdate) {
  auto edit = [](v1::ShareSettings& s) { s.set_utm_campaign("x"); };
  EXPECT_EQ(Update(edit, "utm_campaign", Member("fr", "ana")).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Update(edit, "utm_campaign", Admin("pl")).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal moderator = Member("fr", "mo");
  moderator.roles.push_back(auth::kRoleModerator);
  EXPECT_EQ(Update(edit, "utm_campaign", moderator).status().code(),
            absl::StatusCode::kPermissionDenied);
}

TEST_F(SettingsTest, InvalidValuesAreRefusedNamingTheField) {
  struct Case {
    std::function<void(v1::ShareSettings&)> edit;
    std::string mask;
  };
  auto network = [](v1::ShareSettings& s, common::v1::ShareNetwork n) {
    v1::NetworkSetting* setting = s.add_networks();
    setting->set_network(n);
    setting->set_enabled(true);
  };
  const std::vector<Case> cases = {
      {[&](v1::ShareSettings& s) {
         network(s, common::v1::SHARE_NETWORK_X);
         network(s, common::v1::SHARE_NETWORK_X);
       },
       "networks"},
      {[&](v1::ShareSettings& s) {
         network(s, common::v1::SHARE_NETWORK_UNSPECIFIED);
       },
       "networks"},
      {[](v1::ShareSettings& s) { s.set_utm_campaign("deux mots"); },
       "utm_campaign"},
      {[](v1::ShareSettings& s) { s.set_utm_campaign(std::string(101, 'a')); },
       "utm_campaign"},
      {[](v1::ShareSettings& s) { s.add_allowed_target_hosts("https://x.fr"); },
       "allowed_target_hosts"},
      {[](v1::ShareSettings& s) { s.set_post_path_template("/posts/"); },
       "post_path_template"},
      {[](v1::ShareSettings& s) {
         s.set_short_link_base_url("https://agora.link/s");
       },
       "short_link_base_url"},
      {[](v1::ShareSettings& s) {
         s.set_public_base_url("http://fr.agora.example");
       },
       "public_base_url"},
      {[](v1::ShareSettings& s) { s.set_twitter_site("no_at_sign"); },
       "twitter_site"},
      {[](v1::ShareSettings& s) {
         s.add_visitor_milestones(300);
         s.add_visitor_milestones(25);
       },
       "visitor_milestones"},
      {[](v1::ShareSettings& s) {
         s.set_max_resolutions_per_visitor_per_minute(601);
       },
       "max_resolutions_per_visitor_per_minute"},
      {[](v1::ShareSettings& s) { s.set_site_name(std::string(101, 's')); },
       "site_name"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<v1::ShareSettings> refused = Update(c.edit, c.mask);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument)
        << c.mask;
    EXPECT_TRUE(absl::StartsWith(refused.status().message(),
                                 "share_settings." + c.mask))
        << refused.status();
  }
  absl::StatusOr<v1::ShareSettings> bad_mask =
      Update([](v1::ShareSettings&) {}, "etag");
  EXPECT_EQ(bad_mask.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad_mask.status().message(), "update_mask"))
      << bad_mask.status();
  v1::UpdateShareSettingsRequest unnamed;
  unnamed.mutable_update_mask()->add_paths("site_name");
  absl::StatusOr<v1::ShareSettings> no_name =
      UpdateShareSettings(*context_, Admin("fr"), unnamed);
  EXPECT_EQ(no_name.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(no_name.status().message(), "share_settings.name"))
      << no_name.status();
}

TEST_F(SettingsTest, PreviewsFollowTheSettingsAndTheLanguage) {
  ASSERT_TRUE(
      Update([](v1::ShareSettings& s) { s.set_twitter_site("@BanqueFR"); },
             "twitter_site")
          .ok());
  Publish({.id = "p1", .title = std::string(250, 'T'), .language = "fr"});
  v1::GetPreviewRequest request;
  request.set_name("tenants/fr/posts/p1/preview");
  absl::StatusOr<v1::Preview> preview = GetPreview(*context_, nullptr, request);
  ASSERT_TRUE(preview.ok()) << preview.status();
  EXPECT_EQ(preview->twitter_site(), "@BanqueFR");
  EXPECT_EQ(preview->site_name(), "Agora fr");
  EXPECT_EQ(preview->title(), std::string(199, 'T') + "…")
      << "200 characters at most";
  Hide("fr", "p1");
  request.set_language("nl-BE");
  preview = GetPreview(*context_, nullptr, request);
  ASSERT_TRUE(preview.ok());
  EXPECT_FALSE(preview->available());
  EXPECT_EQ(preview->title(), "Deze inhoud is niet meer beschikbaar");
  EXPECT_EQ(preview->locale(), "nl_BE");
  request.set_short_link("tenants/fr/shortLinks/abc");
  EXPECT_EQ(GetPreview(*context_, nullptr, request).status().code(),
            absl::StatusCode::kInvalidArgument)
      << "name and short_link both set";
}

}  // namespace
}  // namespace agora::share
