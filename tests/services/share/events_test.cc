// What share learns from content's and identity's events: a new revision's
// title reaches previews and share URLs, removed and deleted posts stop
// resolving to themselves (and come back when published again), events of
// another tenant's names change nothing, a tenant's time zone decides the
// day clicks are counted on.
#include "absl/strings/match.h"
#include "services/share/domain/previews.h"
#include "services/share/domain/share_stats.h"
#include "tests/services/share/share_fixture.h"

namespace agora::share {
namespace {

class EventsTest : public ShareTest {
 protected:
  void Update(const std::string& id, const std::string& title,
              common::v1::PostState state) {
    events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_CONTENT);
    events::v1::PostUpdated* updated = event.mutable_post_updated();
    updated->mutable_post()->set_name(PostName("fr", id));
    updated->set_title(title);
    updated->set_excerpt("nouveau corps");
    updated->set_state(state);
    Apply(event);
  }
};

TEST_F(EventsTest, ANewRevisionsTitleReachesPreviewsAndShareUrls) {
  Publish({.id = "p1", .title = "Ancien titre"});
  const std::string code = CodeOf("ana", "fr", "p1");
  ASSERT_TRUE(Resolve("fr", code, Visitor(1)).ok()) << "post cached in Redis";
  Update("p1", "Nouveau titre", common::v1::POST_STATE_PUBLISHED);
  absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
      Resolve("fr", code, Visitor(2));
  ASSERT_TRUE(resolved.ok());
  EXPECT_TRUE(resolved->available());
  EXPECT_EQ(resolved->preview().title(), "Nouveau titre")
      << "the cached copy follows the event";
  EXPECT_EQ(resolved->preview().description(), "nouveau corps");
  const auth::Principal ana = Member("fr", "ana");
  absl::StatusOr<v1::CreateShareLinksResponse> links =
      Share(&ana, "fr", "p1", {common::v1::SHARE_NETWORK_TELEGRAM});
  ASSERT_TRUE(links.ok());
  EXPECT_TRUE(absl::StrContains(links->share_links(0).share_url(),
                                "text=Nouveau%20titre"));

  // A revision held for review takes the post down.
  Update("p1", "Titre retenu", common::v1::POST_STATE_PENDING);
  resolved = Resolve("fr", code, Visitor(3));
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->available());
  EXPECT_FALSE(absl::StrContains(resolved->preview().DebugString(), "retenu"));
}

TEST_F(EventsTest, RemovedAndDeletedPostsStopResolvingUntilPublishedAgain) {
  Publish({.id = "removed"});
  Publish({.id = "deleted"});
  const std::string removed = CodeOf("ana", "fr", "removed");
  const std::string deleted = CodeOf("ana", "fr", "deleted");
  events::v1::Event remove = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  remove.mutable_post_removed()->mutable_post()->set_name(
      PostName("fr", "removed"));
  remove.mutable_post_removed()->set_state(common::v1::POST_STATE_REMOVED);
  Apply(remove);
  events::v1::Event erase = NewEvent("fr", events::v1::PRODUCER_CONTENT);
  erase.mutable_post_deleted()->mutable_post()->set_name(
      PostName("fr", "deleted"));
  Apply(erase);
  for (const std::string& code : {removed, deleted}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve("fr", code, Visitor(1));
    ASSERT_TRUE(resolved.ok());
    EXPECT_FALSE(resolved->available());
    EXPECT_EQ(resolved->redirect_url(), "https://fr.agora.example/unavailable");
  }
  v1::GetPreviewRequest preview;
  preview.set_short_link("tenants/fr/shortLinks/" + removed);
  absl::StatusOr<v1::Preview> neutral = GetPreview(*context_, nullptr, preview);
  ASSERT_TRUE(neutral.ok());
  EXPECT_FALSE(neutral->available());
  Publish({.id = "removed", .title = "Rétablie"});
  absl::StatusOr<v1::ResolveShortLinkResponse> back =
      Resolve("fr", removed, Visitor(2));
  ASSERT_TRUE(back.ok());
  EXPECT_TRUE(back->available());
}

TEST_F(EventsTest, NamesOfAnotherTenantChangeNothing) {
  Publish({.id = "p1"});
  Publish({.tenant = "pl", .id = "p1", .title = "Pomysł", .language = "pl"});
  const std::string fr = CodeOf("ana", "fr", "p1");
  const std::string pl = CodeOf("jan", "pl", "p1");
  // An event of tenant pl naming fr's post: neither fr's post nor pl's post
  // of the same id is touched.
  events::v1::Event hide = NewEvent("pl", events::v1::PRODUCER_CONTENT);
  hide.mutable_post_hidden()->mutable_post()->set_name(PostName("fr", "p1"));
  Apply(hide);
  for (const auto& [tenant, code] :
       std::vector<std::pair<std::string, std::string>>{{"fr", fr},
                                                        {"pl", pl}}) {
    absl::StatusOr<v1::ResolveShortLinkResponse> resolved =
        Resolve(tenant, code, Visitor(1));
    ASSERT_TRUE(resolved.ok());
    EXPECT_TRUE(resolved->available()) << tenant;
  }
}

TEST_F(EventsTest, ClicksCountOnTheDayOfTheTenantsTimeZone) {
  events::v1::Event moved = NewEvent("fr", events::v1::PRODUCER_IDENTITY);
  moved.mutable_tenant_updated()->set_tenant("tenants/fr");
  moved.mutable_tenant_updated()->set_time_zone("Pacific/Auckland");
  Apply(moved);
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  // 2026-11-22 12:00 UTC is 01:00 on the 23rd in Auckland.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 11, 22, 12, 0, 0),
                         absl::UTCTimeZone());
  ASSERT_TRUE(Resolve("fr", code, Visitor(1)).ok());
  Flush("fr");
  v1::GetShareStatsRequest request;
  request.set_name("tenants/fr/posts/p1/shareStats");
  absl::StatusOr<v1::ShareStats> stats =
      GetShareStats(*context_, nullptr, request);
  ASSERT_TRUE(stats.ok()) << stats.status();
  ASSERT_EQ(stats->daily_size(), 1);
  EXPECT_EQ(stats->daily(0).date(), "2026-11-23");
}

}  // namespace
}  // namespace agora::share
