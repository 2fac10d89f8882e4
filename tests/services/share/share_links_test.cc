// CreateShareLinks, GetShortLink, ListShortLinks and the GDPR export on
// real PostgreSQL: one link per enabled network in the tenant's order,
// titles in French, Polish and Dutch percent-encoded into every network's
// share URL, the same links on every call, NOT_FOUND for posts that are not
// published, who may see which links.
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "services/share/domain/short_code.h"
#include "tests/services/share/share_fixture.h"

namespace agora::share {
namespace {

using common::v1::ShareNetwork;

// %XX back to bytes: what a browser does with the query value.
std::string PercentDecode(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out.push_back(
          static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The value of `name` in the query of `url`, decoded.
std::string QueryValue(const std::string& url, const std::string& name) {
  const size_t query = url.find('?');
  if (query == std::string::npos) return "";
  for (absl::string_view pair : absl::StrSplit(url.substr(query + 1), '&')) {
    if (absl::StartsWith(pair, name + "=")) {
      return PercentDecode(std::string(pair.substr(name.size() + 1)));
    }
  }
  return "";
}

class ShareLinksTest : public ShareTest {};

TEST_F(ShareLinksTest, OneLinkPerEnabledNetworkInTheTenantsOrder) {
  Publish({.id = "p1", .title = "Une idée"});
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::CreateShareLinksResponse> links = Share(&ana, "fr", "p1");
  ASSERT_TRUE(links.ok()) << links.status();
  ASSERT_EQ(links->share_links_size(), 7);
  std::set<std::string> codes;
  for (int i = 0; i < 7; ++i) {
    const v1::ShareLink& link = links->share_links(i);
    EXPECT_EQ(link.network(), static_cast<ShareNetwork>(i + 1));
    const v1::ShortLink& short_link = link.short_link();
    EXPECT_TRUE(IsShortCode(short_link.code())) << short_link.code();
    codes.insert(short_link.code());
    EXPECT_EQ(short_link.name(), "tenants/fr/shortLinks/" + short_link.code());
    EXPECT_EQ(short_link.short_url(),
              "https://agora.link/s/" + short_link.code());
    EXPECT_EQ(short_link.sharer(), "tenants/fr/members/ana");
    EXPECT_EQ(short_link.post().name(), "tenants/fr/posts/p1");
    EXPECT_EQ(short_link.post().kind(), common::v1::CONTENT_KIND_IDEA);
    EXPECT_EQ(short_link.state(), v1::ShortLink::STATE_ACTIVE);
    EXPECT_EQ(short_link.utm_campaign(), "agora");
  }
  EXPECT_EQ(codes.size(), 7u) << "every network has a code of its own";
  const std::string code = links->share_links(0).short_link().code();
  EXPECT_EQ(links->share_links(0).short_link().target_url(),
            "https://fr.agora.example/posts/p1?utm_source=facebook"
            "&utm_medium=social&utm_campaign=agora");
  EXPECT_EQ(links->share_links(0).share_url(),
            "https://www.facebook.com/sharer/sharer.php?u="
            "https%3A%2F%2Fagora.link%2Fs%2F" +
                code);
  EXPECT_EQ(links->share_links(2).share_url(),
            "https://www.linkedin.com/sharing/share-offsite/?url="
            "https%3A%2F%2Fagora.link%2Fs%2F" +
                links->share_links(2).short_link().code());
  EXPECT_EQ(links->share_links(6).share_url(),
            "https://agora.link/s/" + links->share_links(6).short_link().code())
      << "copy-link is the short URL itself";
  EXPECT_TRUE(
      absl::StartsWith(links->share_links(1).short_link().target_url(),
                       "https://fr.agora.example/posts/p1?utm_source=x&"));
  EXPECT_TRUE(links->preview().available());
  EXPECT_EQ(links->preview().title(), "Une idée");
  EXPECT_EQ(links->preview().canonical_url(),
            "https://fr.agora.example/posts/p1");
  EXPECT_EQ(links->preview().locale(), "fr_FR");
  EXPECT_EQ(links->preview().image_uri(), "https://fr.agora.example/og.png");
  EXPECT_EQ(links->preview().twitter_card(), "summary_large_image");
}

TEST_F(ShareLinksTest, TitlesInFrenchPolishAndDutchArePercentEncoded) {
  struct Case {
    std::string tenant;
    std::string title;
    std::string encoded;  // as it must appear in the query
  };
  const std::vector<Case> cases = {
      {"fr", "Une idée : payer sans contact à l’étranger ?",
       "Une%20id%C3%A9e%20%3A%20payer%20sans%20contact%20%C3%A0%20"
       "l%E2%80%99%C3%A9tranger%20%3F"},
      {"pl", "Czy mogę płacić zbliżeniowo za granicą?",
       "Czy%20mog%C4%99%20p%C5%82aci%C4%87%20zbli%C5%BCeniowo%20za%20"
       "granic%C4%85%3F"},
      {"nl", "Één vraag: 50% korting & gratis sparen?",
       "%C3%89%C3%A9n%20vraag%3A%2050%25%20korting%20%26%20gratis%20sparen%3F"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.tenant);
    Publish({.tenant = c.tenant,
             .id = "t1",
             .title = c.title,
             .language = c.tenant});
    const auth::Principal member = Member(c.tenant, "m1");
    absl::StatusOr<v1::CreateShareLinksResponse> links =
        Share(&member, c.tenant, "t1");
    ASSERT_TRUE(links.ok()) << links.status();
    ASSERT_EQ(links->share_links_size(), 7);
    auto short_url = [&](int i) {
      return links->share_links(i).short_link().short_url();
    };
    const std::string x = links->share_links(1).share_url();
    EXPECT_EQ(x, "https://x.com/intent/tweet?text=" + c.encoded +
                     "&url=https%3A%2F%2Fagora.link%2Fs%2F" +
                     links->share_links(1).short_link().code());
    EXPECT_EQ(QueryValue(x, "text"), c.title);
    EXPECT_EQ(QueryValue(x, "url"), short_url(1));
    const std::string whatsapp = links->share_links(3).share_url();
    EXPECT_TRUE(absl::StartsWith(whatsapp, "https://wa.me/?text=" + c.encoded +
                                               "%20https%3A%2F%2Fagora.link"))
        << whatsapp;
    EXPECT_EQ(QueryValue(whatsapp, "text"), c.title + " " + short_url(3));
    const std::string telegram = links->share_links(4).share_url();
    EXPECT_EQ(QueryValue(telegram, "text"), c.title);
    EXPECT_EQ(QueryValue(telegram, "url"), short_url(4));
    const std::string mail = links->share_links(5).share_url();
    EXPECT_TRUE(absl::StartsWith(mail, "mailto:?subject=" + c.encoded + "&"))
        << mail;
    EXPECT_EQ(QueryValue(mail, "body"), c.title + "\r\n\r\n" + short_url(5));
    EXPECT_EQ(links->preview().title(), c.title);
    EXPECT_EQ(links->preview().locale(),
              c.tenant + "_" + absl::AsciiStrToUpper(c.tenant));
    // Nothing but unreserved characters and escapes in the query values.
    for (const v1::ShareLink& link : links->share_links()) {
      if (link.network() == common::v1::SHARE_NETWORK_COPY_LINK) continue;
      const std::string& url = link.share_url();
      for (char ch : url.substr(url.find('?') + 1)) {
        EXPECT_TRUE(absl::ascii_isalnum(static_cast<unsigned char>(ch)) ||
                    absl::StrContains("-._~%&=", ch))
            << "unencoded '" << ch << "' in " << url;
      }
    }
  }
}

TEST_F(ShareLinksTest, SameLinksOnEveryCallOwnLinksPerSharer) {
  Publish({.id = "p1"});
  const auth::Principal ana = Member("fr", "ana");
  const auth::Principal ben = Member("fr", "ben");
  absl::StatusOr<v1::CreateShareLinksResponse> first = Share(&ana, "fr", "p1");
  absl::StatusOr<v1::CreateShareLinksResponse> again = Share(&ana, "fr", "p1");
  absl::StatusOr<v1::CreateShareLinksResponse> other = Share(&ben, "fr", "p1");
  absl::StatusOr<v1::CreateShareLinksResponse> anonymous =
      Share(nullptr, "fr", "p1");
  ASSERT_TRUE(first.ok() && again.ok() && other.ok() && anonymous.ok());
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(first->share_links(i).short_link().code(),
              again->share_links(i).short_link().code());
    EXPECT_NE(first->share_links(i).short_link().code(),
              other->share_links(i).short_link().code());
    EXPECT_NE(first->share_links(i).short_link().code(),
              anonymous->share_links(i).short_link().code());
    EXPECT_EQ(anonymous->share_links(i).short_link().sharer(), "");
  }
  absl::StatusOr<v1::CreateShareLinksResponse> anonymous_again =
      Share(nullptr, "fr", "p1");
  ASSERT_TRUE(anonymous_again.ok());
  EXPECT_EQ(anonymous_again->share_links(0).short_link().code(),
            anonymous->share_links(0).short_link().code())
      << "every anonymous sharer gets the same link";
  EXPECT_EQ(Query("SELECT count(*) FROM short_links"), "21");
}

TEST_F(ShareLinksTest, OnlyEnabledNetworksInTheTenantsOrder) {
  v1::UpdateShareSettingsRequest request;
  request.mutable_share_settings()->set_name("tenants/fr/shareSettings");
  for (auto [network, enabled] : std::vector<std::pair<ShareNetwork, bool>>{
           {common::v1::SHARE_NETWORK_WHATSAPP, true},
           {common::v1::SHARE_NETWORK_FACEBOOK, true},
           {common::v1::SHARE_NETWORK_LINKEDIN, false}}) {
    v1::NetworkSetting* setting =
        request.mutable_share_settings()->add_networks();
    setting->set_network(network);
    setting->set_enabled(enabled);
  }
  request.mutable_update_mask()->add_paths("networks");
  ASSERT_TRUE(UpdateShareSettings(*context_, Admin("fr"), request).ok());
  Publish({.id = "p1"});
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::CreateShareLinksResponse> all = Share(&ana, "fr", "p1");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->share_links_size(), 2);
  EXPECT_EQ(all->share_links(0).network(), common::v1::SHARE_NETWORK_WHATSAPP);
  EXPECT_EQ(all->share_links(1).network(), common::v1::SHARE_NETWORK_FACEBOOK);

  absl::StatusOr<v1::CreateShareLinksResponse> asked = Share(
      &ana, "fr", "p1",
      {common::v1::SHARE_NETWORK_FACEBOOK, common::v1::SHARE_NETWORK_WHATSAPP});
  ASSERT_TRUE(asked.ok());
  EXPECT_EQ(asked->share_links(0).network(), common::v1::SHARE_NETWORK_WHATSAPP)
      << "the tenant's order, not the request's";

  for (ShareNetwork refused :
       {common::v1::SHARE_NETWORK_LINKEDIN, common::v1::SHARE_NETWORK_X}) {
    absl::StatusOr<v1::CreateShareLinksResponse> links =
        Share(&ana, "fr", "p1", {refused});
    EXPECT_EQ(links.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StartsWith(links.status().message(), "networks:"))
        << links.status();
  }
}

TEST_F(ShareLinksTest, UnknownOrUnpublishedPostIsNotFound) {
  const auth::Principal ana = Member("fr", "ana");
  EXPECT_EQ(Share(&ana, "fr", "nope").status().code(),
            absl::StatusCode::kNotFound);
  Publish({.id = "p1"});
  Hide("fr", "p1");
  EXPECT_EQ(Share(&ana, "fr", "p1").status().code(),
            absl::StatusCode::kNotFound);
  v1::CreateShareLinksRequest request;
  request.set_post("tenants/fr/things/p1");
  absl::StatusOr<v1::CreateShareLinksResponse> bad =
      CreateShareLinks(*context_, &ana, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "post:"))
      << bad.status();
  request.set_post("tenants/fr/posts/p1");
  request.set_request_id("not a valid id!");
  bad = CreateShareLinks(*context_, &ana, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(ShareLinksTest, ContestEntriesCarryTheirContestsCampaign) {
  Publish({.id = "entry", .round = "spring-2027/r1"});
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::CreateShareLinksResponse> links =
      Share(&ana, "fr", "entry", {common::v1::SHARE_NETWORK_X});
  ASSERT_TRUE(links.ok());
  EXPECT_EQ(links->share_links(0).short_link().utm_campaign(), "spring-2027");
  EXPECT_TRUE(absl::EndsWith(links->share_links(0).short_link().target_url(),
                             "&utm_campaign=spring-2027"));
}

TEST_F(ShareLinksTest, TenantsAreIsolated) {
  Publish({.id = "p1"});
  const auth::Principal stranger = Member("pl", "jan");
  EXPECT_EQ(Share(&stranger, "fr", "p1").status().code(),
            absl::StatusCode::kPermissionDenied);
  const std::string code = CodeOf("ana", "fr", "p1");
  v1::GetShortLinkRequest request;
  request.set_name("tenants/fr/shortLinks/" + code);
  EXPECT_EQ(GetShortLink(*context_, Admin("pl"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  request.set_name("tenants/pl/shortLinks/" + code);
  EXPECT_EQ(GetShortLink(*context_, Admin("pl"), request).status().code(),
            absl::StatusCode::kNotFound)
      << "a code belongs to its tenant only";
}

TEST_F(ShareLinksTest, SharersModeratorsAndAdminsSeeLinks) {
  Publish({.id = "p1"});
  Publish({.id = "p2"});
  Publish({.id = "p3"});
  const std::string ana1 = CodeOf("ana", "fr", "p1");
  const std::string ana2 = CodeOf("ana", "fr", "p2");
  now_ += absl::Seconds(1);
  const std::string ana3 = CodeOf("ana", "fr", "p3");
  const std::string ben1 = CodeOf("ben", "fr", "p1");

  v1::GetShortLinkRequest get;
  get.set_name("tenants/fr/shortLinks/" + ana1);
  EXPECT_TRUE(GetShortLink(*context_, Member("fr", "ana"), get).ok());
  EXPECT_EQ(GetShortLink(*context_, Member("fr", "ben"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal moderator = Member("fr", "mo");
  moderator.roles.push_back(auth::kRoleModerator);
  EXPECT_TRUE(GetShortLink(*context_, moderator, get).ok());
  get.set_name("tenants/fr/shortLinks/zzzzzzzzzz");
  EXPECT_EQ(GetShortLink(*context_, moderator, get).status().code(),
            absl::StatusCode::kNotFound);

  // Ana pages through her own three links, newest first.
  v1::ListShortLinksRequest list;
  list.set_parent("tenants/fr");
  list.set_page_size(2);
  absl::StatusOr<v1::ListShortLinksResponse> page =
      ListShortLinks(*context_, Member("fr", "ana"), list);
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->short_links_size(), 2);
  EXPECT_EQ(page->short_links(0).code(), ana3);
  ASSERT_FALSE(page->next_page_token().empty());
  list.set_page_token(page->next_page_token());
  absl::StatusOr<v1::ListShortLinksResponse> rest =
      ListShortLinks(*context_, Member("fr", "ana"), list);
  ASSERT_TRUE(rest.ok());
  ASSERT_EQ(rest->short_links_size(), 1);
  EXPECT_TRUE(rest->next_page_token().empty());
  std::set<std::string> seen = {page->short_links(0).code(),
                                page->short_links(1).code(),
                                rest->short_links(0).code()};
  EXPECT_EQ(seen, (std::set<std::string>{ana1, ana2, ana3}));

  list.clear_page_token();
  list.set_sharer("tenants/fr/members/ben");
  EXPECT_EQ(
      ListShortLinks(*context_, Member("fr", "ana"), list).status().code(),
      absl::StatusCode::kPermissionDenied);
  list.set_sharer("");
  list.set_post("tenants/fr/posts/p1");
  list.set_page_size(10);
  absl::StatusOr<v1::ListShortLinksResponse> of_post =
      ListShortLinks(*context_, moderator, list);
  ASSERT_TRUE(of_post.ok());
  EXPECT_EQ(of_post->short_links_size(), 2) << "ana's and ben's";
  list.set_page_token("garbage");
  absl::StatusOr<v1::ListShortLinksResponse> bad =
      ListShortLinks(*context_, moderator, list);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "page_token:"));
  (void)ben1;
}

TEST_F(ShareLinksTest, ExportAndErasure) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  v1::ExportMemberDataRequest request;
  request.set_name("tenants/fr/members/me");
  absl::StatusOr<v1::MemberShareData> data =
      ExportMemberData(*context_, Member("fr", "ana"), request);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->member(), "tenants/fr/members/ana");
  ASSERT_EQ(data->short_links_size(), 1);
  EXPECT_EQ(data->short_links(0).code(), code);
  request.set_name("tenants/fr/members/ana");
  EXPECT_EQ(
      ExportMemberData(*context_, Member("fr", "ben"), request).status().code(),
      absl::StatusCode::kPermissionDenied);

  events::v1::Event erased = NewEvent("fr", events::v1::PRODUCER_IDENTITY);
  erased.mutable_member_erased()->set_member("tenants/fr/members/ana");
  Apply(erased);
  data = ExportMemberData(*context_, Admin("fr"), request);
  ASSERT_TRUE(data.ok());
  EXPECT_EQ(data->short_links_size(), 0);
  EXPECT_EQ(Link("fr", code).sharer(), "") << "the link no longer names her";
  EXPECT_EQ(Query("SELECT count(*) FROM posts WHERE author = 'ana'"), "0");
  // She may share again (a new account with the same id would).
  EXPECT_NE(CodeOf("ana", "fr", "p1"), code);
}

}  // namespace
}  // namespace agora::share
