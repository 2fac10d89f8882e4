// Flushing clicks from Redis to PostgreSQL: a Redis wiped after a flush
// loses nothing flushed (a private Redis, FLUSHALL), a flush retried after
// its commit adds nothing twice, the events ranking and reputation read
// (link_clicked per human click, post_shared once, milestones once), and
// the post's figures per network and per day.
#include "absl/strings/match.h"
#include "services/share/domain/share_stats.h"
#include "tests/harness/local_servers.h"
#include "tests/services/share/share_fixture.h"

namespace agora::share {
namespace {

class FlushTest : public ShareTest {};

TEST_F(FlushTest, RedisWipedAfterAFlushLosesNothingFlushed) {
  testing::LocalServer server(testing::LocalServer::Kind::kRedis);
  ASSERT_TRUE(server.Start().ok());
  absl::StatusOr<redis::RedisOptions> options =
      redis::ParseAddress(server.redis_address());
  ASSERT_TRUE(options.ok());
  redis::RedisClient private_redis(*options);
  std::unique_ptr<ShareContext> context = MakeContext(private_redis);

  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  for (int visitor = 0; visitor < 5; ++visitor) {
    ASSERT_TRUE(Resolve("fr", code, Visitor(visitor), "Mozilla/5.0 Firefox",
                        context.get())
                    .ok());
  }
  ASSERT_TRUE(
      Resolve("fr", code, Visitor(0), "Twitterbot/1.0", context.get()).ok());
  Flush("fr", context.get());
  ASSERT_EQ(Link("fr", code).clicks(), 5);

  ASSERT_TRUE(private_redis.Run({"FLUSHALL"}).ok());
  // Two visitors seen before the wipe and one new one.
  for (int visitor : {0, 1, 5}) {
    ASSERT_TRUE(Resolve("fr", code, Visitor(visitor), "Mozilla/5.0 Firefox",
                        context.get())
                    .ok());
  }
  Flush("fr", context.get());
  v1::ShortLink link = Link("fr", code);
  EXPECT_EQ(link.clicks(), 8);
  EXPECT_EQ(link.bot_clicks(), 1);
  EXPECT_EQ(link.unique_visitors(), 6)
      << "the stored sketch merged back: old visitors not counted twice";

  // Redis has the merged sketch again: a returning visitor adds nothing.
  ASSERT_TRUE(
      Resolve("fr", code, Visitor(3), "Mozilla/5.0 Firefox", context.get())
          .ok());
  Flush("fr", context.get());
  EXPECT_EQ(Link("fr", code).unique_visitors(), 6);
  EXPECT_EQ(Link("fr", code).clicks(), 9);
}

TEST_F(FlushTest, AFlushRetriedAfterItsCommitAddsNothingTwice) {
  Publish({.id = "p1"});
  const std::string code = CodeOf("ana", "fr", "p1");
  for (int visitor = 0; visitor < 3; ++visitor) {
    ASSERT_TRUE(Resolve("fr", code, Visitor(visitor)).ok());
  }
  // Committed, then "crashed" before the sealed batch was released.
  FlushStats first = Flush("fr", nullptr, FlushOptions{.release = false});
  EXPECT_FALSE(first.reapplied);
  EXPECT_EQ(Link("fr", code).clicks(), 3);
  const int events = static_cast<int>(Outbox().size());
  ASSERT_TRUE(Resolve("fr", code, Visitor(9)).ok()) << "lands in a new batch";

  FlushStats retried = Flush("fr");
  EXPECT_TRUE(retried.reapplied);
  EXPECT_EQ(Link("fr", code).clicks(), 3) << "the same batch, not re-added";
  EXPECT_EQ(static_cast<int>(Outbox().size()), events) << "no events again";
  EXPECT_EQ(Link("fr", code).unique_visitors(), 4)
      << "sketches merge every time: the newer click's visitor is in Redis";

  FlushStats next = Flush("fr");
  EXPECT_FALSE(next.reapplied);
  EXPECT_EQ(Link("fr", code).clicks(), 4);
  EXPECT_EQ(Link("fr", code).unique_visitors(), 4);
}

TEST_F(FlushTest, EventsForRankingAndReputation) {
  Publish({.id = "p1", .author = "author"});
  const std::string code =
      CodeOf("ana", "fr", "p1", common::v1::SHARE_NETWORK_X);
  const std::string anonymous =
      CodeOf("", "fr", "p1", common::v1::SHARE_NETWORK_X);
  for (int visitor = 0; visitor < 26; ++visitor) {
    ASSERT_TRUE(Resolve("fr", code, Visitor(visitor)).ok());
    ASSERT_TRUE(Resolve("fr", anonymous, Visitor(visitor)).ok());
  }
  ASSERT_TRUE(Resolve("fr", code, Visitor(0)).ok());
  Flush("fr");

  int clicked = 0, new_visitors = 0, shared = 0, milestones = 0;
  for (const events::v1::Event& event : Outbox()) {
    EXPECT_EQ(event.tenant(), "tenants/fr");
    EXPECT_EQ(event.producer(), events::v1::PRODUCER_SHARE);
    if (event.has_link_clicked()) {
      const events::v1::LinkClicked& click = event.link_clicked();
      if (click.short_link() != "tenants/fr/shortLinks/" + code) continue;
      ++clicked;
      if (click.new_visitor()) ++new_visitors;
      EXPECT_EQ(click.post().name(), "tenants/fr/posts/p1");
      EXPECT_EQ(click.post().kind(), common::v1::CONTENT_KIND_IDEA);
      EXPECT_EQ(click.network(), common::v1::SHARE_NETWORK_X);
      EXPECT_EQ(click.sharer(), "tenants/fr/members/ana");
      EXPECT_GE(click.unique_visitors(), 1);
      EXPECT_EQ(event.subject(), click.short_link());
    } else if (event.has_post_shared()) {
      ++shared;
      EXPECT_EQ(event.post_shared().post().name(), "tenants/fr/posts/p1");
      EXPECT_EQ(event.post_shared().post_author(), "tenants/fr/members/author");
    } else if (event.has_share_milestone_reached()) {
      ++milestones;
      const events::v1::ShareMilestoneReached& reached =
          event.share_milestone_reached();
      EXPECT_EQ(reached.short_link(), "tenants/fr/shortLinks/" + code)
          << "anonymous links earn nobody a milestone";
      EXPECT_EQ(reached.sharer(), "tenants/fr/members/ana");
      EXPECT_EQ(reached.milestone(), 25);
      EXPECT_EQ(reached.post().name(), "tenants/fr/posts/p1");
    }
  }
  EXPECT_EQ(clicked, 27) << "one link_clicked per human click";
  EXPECT_EQ(new_visitors, 26);
  EXPECT_EQ(shared, 2) << "each link counts as a share once";
  EXPECT_EQ(milestones, 1);

  for (int visitor = 26; visitor < 30; ++visitor) {
    ASSERT_TRUE(Resolve("fr", code, Visitor(visitor)).ok());
  }
  Flush("fr");
  EXPECT_EQ(CountEvents(events::v1::Event::kPostShared), 2);
  EXPECT_EQ(CountEvents(events::v1::Event::kShareMilestoneReached), 1)
      << "25 is reached once";
}

TEST_F(FlushTest, PostFiguresPerNetworkAndPerDay) {
  Publish({.id = "p1"});
  const std::string facebook = CodeOf("ana", "fr", "p1");
  const std::string x = CodeOf("ana", "fr", "p1", common::v1::SHARE_NETWORK_X);
  CodeOf("ben", "fr", "p1");  // made, never clicked
  ASSERT_TRUE(Resolve("fr", facebook, Visitor(1)).ok());
  ASSERT_TRUE(Resolve("fr", facebook, Visitor(2)).ok());
  ASSERT_TRUE(Resolve("fr", x, Visitor(1)).ok());
  ASSERT_TRUE(Resolve("fr", x, Visitor(3), "Slackbot-LinkExpanding 1.0").ok());
  // 23:30 UTC is 00:30 the next day in Paris, the tenant's calendar.
  now_ = absl::FromCivil(absl::CivilSecond(2026, 11, 22, 23, 30, 0),
                         absl::UTCTimeZone());
  ASSERT_TRUE(Resolve("fr", x, Visitor(4)).ok());
  Flush("fr");

  v1::GetShareStatsRequest request;
  request.set_name("tenants/fr/posts/p1/shareStats");
  absl::StatusOr<v1::ShareStats> stats =
      GetShareStats(*context_, nullptr, request);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->total().links_created(), 3);
  EXPECT_EQ(stats->total().shares(), 2);
  EXPECT_EQ(stats->total().clicks(), 4);
  EXPECT_EQ(stats->total().bot_clicks(), 1);
  EXPECT_EQ(stats->total().unique_visitors(), 3) << "visitors 1, 2 and 4";
  ASSERT_EQ(stats->networks_size(), 7);
  EXPECT_EQ(stats->networks(0).network(), common::v1::SHARE_NETWORK_FACEBOOK);
  EXPECT_EQ(stats->networks(0).links_created(), 2);
  EXPECT_EQ(stats->networks(0).clicks(), 2);
  EXPECT_EQ(stats->networks(0).unique_visitors(), 2);
  EXPECT_EQ(stats->networks(1).network(), common::v1::SHARE_NETWORK_X);
  EXPECT_EQ(stats->networks(1).clicks(), 2);
  EXPECT_EQ(stats->networks(1).bot_clicks(), 1);
  EXPECT_EQ(stats->networks(1).unique_visitors(), 2);
  ASSERT_EQ(stats->daily_size(), 2);
  EXPECT_EQ(stats->daily(0).date(), "2026-11-22");
  EXPECT_EQ(stats->daily(0).clicks(), 3);
  EXPECT_EQ(stats->daily(0).unique_visitors(), 2);
  EXPECT_EQ(stats->daily(0).bot_clicks(), 1);
  EXPECT_EQ(stats->daily(1).date(), "2026-11-23");
  EXPECT_EQ(stats->daily(1).clicks(), 1);
  EXPECT_TRUE(stats->has_update_time());

  request.mutable_window()->mutable_start_time()->set_seconds(0);
  absl::StatusOr<v1::ShareStats> too_long =
      GetShareStats(*context_, nullptr, request);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(too_long.status().message(), "window:"));
  request.clear_window();
  request.set_name("tenants/fr/posts/nope/shareStats");
  EXPECT_EQ(GetShareStats(*context_, nullptr, request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_name("tenants/fr/posts/p1/stats");
  absl::StatusOr<v1::ShareStats> bad =
      GetShareStats(*context_, nullptr, request);
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(bad.status().message(), "name:"));
}

}  // namespace
}  // namespace agora::share
