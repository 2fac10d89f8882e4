// Rebuilding a tenant's tallies and boards from PostgreSQL on real servers:
// the rebuild writes exactly what the incremental path had after long
// random traffic (every board, scope and day bucket), keeps every vote cast
// while it runs, swaps generations and deletes the old one, refuses a
// second rebuild of the tenant, and runs in the background for tenant
// admins and scoped service accounts with a record to poll.
#include <atomic>
#include <random>
#include <set>
#include <thread>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/synchronization/notification.h"
#include "libs/status/error_details.h"
#include "services/ranking/cache/ranking_keys.h"
#include "tests/harness/ports.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::CONTENT_KIND_ANSWER;
using common::v1::CONTENT_KIND_ARTICLE;
using common::v1::CONTENT_KIND_COMMENT;
using common::v1::CONTENT_KIND_CONTEST_ENTRY;
using common::v1::CONTENT_KIND_IDEA;
using common::v1::CONTENT_KIND_QUESTION;
using common::v1::CONTENT_KIND_REVIEW;
using common::v1::TIME_WINDOW_ALL_TIME;
using common::v1::TIME_WINDOW_DAY;
using common::v1::TIME_WINDOW_MONTH;
using common::v1::TIME_WINDOW_WEEK;
using common::v1::VOTE_CHOICE_DOWN;
using common::v1::VOTE_CHOICE_HELPFUL;
using common::v1::VOTE_CHOICE_LIKE;
using common::v1::VOTE_CHOICE_NOT_HELPFUL;
using common::v1::VOTE_CHOICE_STARS;
using common::v1::VOTE_CHOICE_UP;

// Keys of one generation of the tenant still in Redis.
int64_t KeysOfGeneration(RankingContext& context, const std::string& tenant,
                         int64_t generation) {
  const RankingKeys names(context.keys, tenant);
  int64_t count = 0;
  std::string cursor = "0";
  do {
    absl::StatusOr<redis::Reply> page = context.redis.Run(
        {"SCAN", cursor, "MATCH", names.GenerationPattern(generation), "COUNT",
         "1000"});
    if (!page.ok()) return -1;
    cursor = page->elements[0].text;
    count += static_cast<int64_t>(page->elements[1].elements.size());
  } while (cursor != "0");
  return count;
}

class RebuildTest : public RankingTest {
 protected:
  struct Post {
    PostSpec spec;
    std::vector<common::v1::VoteChoice> choices;
    bool published = true;
  };

  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    for (int i = 0; i < 24; ++i) AnnounceMember("fr", Voter(i));
    // Young accounts: held, unless verified customers.
    AnnounceMember("fr", "young", absl::Hours(3));
    AnnounceMember("fr", "customer", absl::Hours(3), true);
  }

  static std::string Voter(int i) { return absl::StrCat("m", i); }

  int64_t Generation(const std::string& tenant = "fr") {
    absl::StatusOr<redis::Reply> reply =
        redis_->Run({"GET", RankingKeys(context_->keys, tenant).Generation()});
    EXPECT_TRUE(reply.ok());
    return reply.ok() ? reply->AsInteger().value_or(-1) : -1;
  }

  // Every board × window × scope a reader can ask for about `posts`, as
  // ListLeaderboard answers it.
  std::map<std::string, std::vector<std::pair<std::string, double>>>
  ReadableBoards() {
    std::map<std::string, std::vector<std::pair<std::string, double>>> boards;
    const std::vector<std::pair<std::string, common::v1::ContentKind>> scopes =
        {{"", common::v1::CONTENT_KIND_UNSPECIFIED},
         {"", CONTENT_KIND_IDEA},
         {"lab", common::v1::CONTENT_KIND_UNSPECIFIED},
         {"cards", CONTENT_KIND_IDEA},
         {"contest", CONTENT_KIND_CONTEST_ENTRY}};
    for (const auto& [space, kind] : scopes) {
      for (v1::Board board : {v1::BOARD_HOT, v1::BOARD_BEST, v1::BOARD_TOP,
                              v1::BOARD_CONTROVERSIAL, v1::BOARD_MOST_COMMENTED,
                              v1::BOARD_MOST_SHARED}) {
        boards[absl::StrCat(v1::Board_Name(board), "/", space, "/", kind)] =
            Board(board, TIME_WINDOW_ALL_TIME, "fr", space, kind);
      }
      for (v1::Board board :
           {v1::BOARD_TOP, v1::BOARD_MOST_COMMENTED, v1::BOARD_MOST_SHARED}) {
        for (common::v1::TimeWindow window :
             {TIME_WINDOW_DAY, TIME_WINDOW_WEEK, TIME_WINDOW_MONTH}) {
          boards[absl::StrCat(
              v1::Board_Name(board), "/", common::v1::TimeWindow_Name(window),
              "/", space, "/", kind)] = Board(board, window, "fr", space, kind);
        }
      }
    }
    return boards;
  }

  void ExpectTallyEqualsDatabase(const std::string& post) {
    v1::GetTallyRequest request;
    request.set_name(PostName("fr", post) + "/tally");
    absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, request);
    ASSERT_TRUE(tally.ok()) << post << ": " << tally.status();
    const TallyCounts expected = TallyInDatabase("fr", post);
    EXPECT_EQ(tally->counts().ups(), expected.all.ups) << post;
    EXPECT_EQ(tally->counts().downs(), expected.all.downs) << post;
    EXPECT_EQ(tally->counts().rating_count(), expected.all.rating_count)
        << post;
    EXPECT_EQ(tally->counts().rating_sum(), expected.all.rating_sum) << post;
    EXPECT_EQ(tally->counts().helpful(), expected.all.helpful) << post;
    EXPECT_EQ(tally->counts().not_helpful(), expected.all.not_helpful) << post;
    EXPECT_EQ(tally->held_count(), expected.held) << post;
    EXPECT_EQ(tally->comment_count(), expected.comments) << post;
    EXPECT_EQ(tally->share_count(), expected.shares) << post;
  }

  static auth::Principal Admin(const std::string& tenant) {
    return WithRole(Member(tenant, "boss"), auth::kRoleTenantAdmin);
  }
  static auth::Principal ServiceAccount(std::vector<std::string> scopes) {
    auth::Principal principal;
    principal.subject = "crm";
    principal.tenant = "fr";
    principal.roles = {auth::kRoleService};
    principal.scopes = std::move(scopes);
    principal.is_service_account = true;
    return principal;
  }
  static v1::RebuildLeaderboardsRequest StartRequest(
      const std::string& tenant = "fr") {
    v1::RebuildLeaderboardsRequest request;
    request.set_parent("tenants/" + tenant);
    return request;
  }

  // Polls the rebuild until it leaves RUNNING (the background thread
  // finishes on its own; the bound only keeps a broken build from hanging).
  v1::Rebuild AwaitRebuild(Rebuilder& rebuilder, const std::string& name) {
    v1::GetRebuildRequest request;
    request.set_name(name);
    v1::Rebuild rebuild;
    for (int attempt = 0; attempt < 3000; ++attempt) {
      absl::StatusOr<v1::Rebuild> got = rebuilder.Get(Admin("fr"), request);
      EXPECT_TRUE(got.ok()) << got.status();
      if (!got.ok()) return rebuild;
      rebuild = *got;
      if (rebuild.state() != v1::Rebuild::STATE_RUNNING) break;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return rebuild;
  }
};

TEST_F(RebuildTest, RebuildWritesExactlyWhatRandomTrafficLeft) {
  std::vector<Post> posts = {
      {{.id = "idea1", .category = "savings", .age = absl::Hours(30)},
       {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN}},
      {{.id = "idea2", .space = "cards", .age = absl::Hours(10)},
       {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN}},
      {{.id = "idea3", .space = "cards", .category = "fees"},
       {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN}},
      {{.id = "question1", .kind = CONTENT_KIND_QUESTION},
       {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN}},
      {{.id = "answer1",
        .kind = CONTENT_KIND_ANSWER,
        .author = "m0",
        .in_reply_to = "question1"},
       {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN}},
      {{.id = "entry1",
        .kind = CONTENT_KIND_CONTEST_ENTRY,
        .space = "contest",
        .mode = common::v1::EVALUATION_MODE_STARS},
       {VOTE_CHOICE_STARS}},
      {{.id = "entry2", .kind = CONTENT_KIND_CONTEST_ENTRY, .space = "contest"},
       {VOTE_CHOICE_LIKE}},
      {{.id = "review1", .kind = CONTENT_KIND_REVIEW, .space = "reviews"},
       {VOTE_CHOICE_HELPFUL, VOTE_CHOICE_NOT_HELPFUL}},
      {{.id = "article1", .kind = CONTENT_KIND_ARTICLE}, {VOTE_CHOICE_LIKE}},
  };
  for (const Post& post : posts) Publish(post.spec);
  const size_t ranked = posts.size();
  std::vector<std::string> voters;
  for (int i = 0; i < 24; ++i) voters.push_back(Voter(i));
  voters.push_back("young");
  voters.push_back("customer");

  std::mt19937 random(20261122);
  auto pick = [&](size_t n) {
    return std::uniform_int_distribution<size_t>(0, n - 1)(random);
  };
  std::set<std::pair<std::string, size_t>> cast_votes;  // voter, post
  int votes = 0, retractions = 0, comments = 0, hidden = 0, shares = 0;
  for (int step = 0; step < 400; ++step) {
    now_ += absl::Minutes(std::uniform_int_distribution<int>(0, 45)(random));
    const int roll = std::uniform_int_distribution<int>(0, 99)(random);
    Post& post = posts[pick(posts.size())];
    const std::string voter = voters[pick(voters.size())];
    if (roll < 60) {
      if (!post.published || voter == post.spec.author) continue;
      const common::v1::VoteChoice choice =
          post.choices[pick(post.choices.size())];
      const int stars = choice == VOTE_CHOICE_STARS ? 1 + pick(5) : 0;
      absl::StatusOr<v1::CastVoteResponse> cast =
          Cast(Member("fr", voter), "fr", post.spec.id, choice, stars);
      ASSERT_TRUE(cast.ok()) << post.spec.id << ": " << cast.status();
      cast_votes.insert({voter, static_cast<size_t>(&post - posts.data())});
      ++votes;
    } else if (roll < 75) {
      if (cast_votes.empty()) continue;
      // Retract a vote that exists (most random pairs have none).
      auto it = cast_votes.begin();
      std::advance(it, pick(cast_votes.size()));
      const auto [who, index] = *it;
      cast_votes.erase(it);
      const Post& voted = posts[index];
      absl::StatusOr<v1::RetractVoteResponse> retracted = Retract(
          Member("fr", who), "fr", voted.spec.id, AxisOf(voted.choices[0]));
      ASSERT_TRUE(retracted.ok()) << retracted.status();
      EXPECT_TRUE(retracted->changed()) << who << " on " << voted.spec.id;
      ++retractions;
    } else if (roll < 83) {
      const Post& parent = posts[pick(ranked)];
      if (!parent.published) continue;
      Post comment{
          {.id = absl::StrCat("c", step),
           .kind = pick(3) == 0 ? CONTENT_KIND_ANSWER : CONTENT_KIND_COMMENT,
           .author = voter,
           .in_reply_to = parent.spec.id,
           .age = absl::Minutes(pick(300))},
          {VOTE_CHOICE_LIKE}};
      comment.spec.space = "lab";
      if (comment.spec.kind == CONTENT_KIND_ANSWER) {
        comment.choices = {VOTE_CHOICE_UP, VOTE_CHOICE_DOWN};
      }
      Publish(comment.spec);
      posts.push_back(comment);
      ++comments;
    } else if (roll < 90) {
      events::v1::Event event = NewEvent("fr", events::v1::PRODUCER_SHARE);
      if (pick(2) == 0) {
        event.mutable_post_shared()->mutable_post()->set_name(
            PostName("fr", post.spec.id));
      } else {
        event.mutable_link_clicked()->mutable_post()->set_name(
            PostName("fr", post.spec.id));
      }
      Apply(event);
      ++shares;
    } else if (roll < 97) {
      // Posts leave (moderation) and come back (appeal).
      if (post.published) {
        Hide("fr", post.spec.id);
        ++hidden;
      } else {
        PostSpec again = post.spec;
        again.age = absl::ZeroDuration();
        Publish(again);
      }
      post.published = !post.published;
    } else {
      now_ += absl::Hours(20);
    }
  }
  // The traffic covered what it should.
  EXPECT_GT(votes, 150);
  EXPECT_GT(retractions, 10);
  EXPECT_GT(comments, 10);
  EXPECT_GT(hidden, 5);
  EXPECT_GT(shares, 10);
  EXPECT_GT(now_ - Start(), absl::Hours(24 * 5));

  const RedisState incremental = LiveState(*context_, "fr");
  std::set<std::string> days;
  for (const auto& [name, entries] : incremental) {
    const size_t at = name.rfind(":d");
    if (at != std::string::npos) days.insert(name.substr(at));
  }
  EXPECT_GE(days.size(), 4u);
  const auto boards_before = ReadableBoards();
  const int64_t generation = Generation();

  absl::StatusOr<RebuildStats> stats = RebuildTenant(*context_, "fr");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->votes_scanned,
            std::stoll(Query("SELECT count(*) FROM votes")));
  EXPECT_EQ(stats->tallies_written,
            std::stoll(Query("SELECT count(*) FROM posts WHERE published")));
  EXPECT_EQ(Generation(), generation + 1);
  EXPECT_EQ(KeysOfGeneration(*context_, "fr", generation), 0);

  const RedisState rebuilt = LiveState(*context_, "fr");
  EXPECT_TRUE(rebuilt == incremental) << Diff(rebuilt, incremental);
  EXPECT_EQ(ReadableBoards(), boards_before);
  for (const Post& post : posts) {
    if (post.published) ExpectTallyEqualsDatabase(post.spec.id);
  }
}

TEST_F(RebuildTest, VotesCastWhileTheRebuildRunsAreEachCountedOnce) {
  const std::vector<std::string> targets = {"idea1", "idea2", "idea3", "idea4"};
  for (const std::string& id : targets) Publish({.id = id, .space = "lab"});
  // Some history for the rebuild to read.
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", Voter(i)), "fr", "idea1", VOTE_CHOICE_UP).ok());
  }
  const int64_t generation = Generation();

  VoteBatcher batcher(
      *context_,
      {.max_batch = 8, .max_wait = absl::Milliseconds(2), .writers = 3});
  std::atomic<bool> voting{true};
  std::atomic<int> rebuilds{0}, failed_votes{0};
  absl::Notification first_rebuild_started;
  std::vector<absl::Status> rebuild_errors;
  std::thread rebuilder([&] {
    first_rebuild_started.Notify();
    while (voting.load() || rebuilds.load() == 0) {
      absl::StatusOr<RebuildStats> stats = RebuildTenant(*context_, "fr");
      if (!stats.ok()) {
        rebuild_errors.push_back(stats.status());
        return;
      }
      ++rebuilds;
    }
  });
  first_rebuild_started.WaitForNotification();
  std::vector<std::thread> voters;
  for (int t = 0; t < 4; ++t) {
    voters.emplace_back([&, t] {
      for (int i = t; i < 24; i += 4) {
        const auth::Principal member = Member("fr", Voter(i));
        for (size_t p = 0; p < targets.size(); ++p) {
          // Cast, then change some, then retract some: three writes that
          // must net out to the last one.
          std::vector<VoteCommand> commands;
          v1::CastVoteRequest cast;
          cast.set_target(PostName("fr", targets[p]));
          cast.set_choice((i + p) % 3 == 0 ? VOTE_CHOICE_DOWN : VOTE_CHOICE_UP);
          absl::StatusOr<VoteCommand> command =
              CastVoteCommand(*context_, member, cast);
          if (!command.ok()) {
            ++failed_votes;
            continue;
          }
          commands.push_back(*command);
          if ((i + p) % 4 == 1) {
            cast.set_choice(VOTE_CHOICE_DOWN);
            command = CastVoteCommand(*context_, member, cast);
            if (command.ok()) commands.push_back(*command);
          }
          if ((i + p) % 5 == 2) {
            v1::RetractVoteRequest retract;
            retract.set_target(PostName("fr", targets[p]));
            command = RetractVoteCommand(*context_, member, retract);
            if (command.ok()) commands.push_back(*command);
          }
          for (const VoteCommand& vote : commands) {
            if (!batcher.Run(vote).status.ok()) ++failed_votes;
          }
        }
      }
    });
  }
  for (std::thread& voter : voters) voter.join();
  voting = false;
  rebuilder.join();
  ASSERT_TRUE(rebuild_errors.empty()) << rebuild_errors[0];
  EXPECT_EQ(failed_votes.load(), 0);
  EXPECT_GE(rebuilds.load(), 1);

  // What the repair worker does next (a rewrite votes kept disturbing is
  // left to it).
  ASSERT_TRUE(RepairPendingPosts(*context_, 100).ok());
  EXPECT_EQ(Query("SELECT count(*) FROM pending_repairs"), "0");
  // What PostgreSQL holds is the last write of each member on each post
  // (the six earlier votes on idea1 were replaced or retracted).
  int expected_votes = 0;
  for (int i = 0; i < 24; ++i) {
    for (size_t p = 0; p < targets.size(); ++p) {
      if ((i + p) % 5 != 2) ++expected_votes;
    }
  }
  EXPECT_EQ(std::stoi(Query("SELECT count(*) FROM votes")), expected_votes);
  for (const std::string& id : targets) ExpectTallyEqualsDatabase(id);
  const RedisState live = LiveState(*context_, "fr");
  const RedisState expected = RebuiltFromScratch();
  EXPECT_TRUE(live == expected) << Diff(live, expected);
  const int64_t now_generation = Generation();
  EXPECT_EQ(now_generation, generation + rebuilds.load());
  for (int64_t old = 1; old < now_generation; ++old) {
    EXPECT_EQ(KeysOfGeneration(*context_, "fr", old), 0)
        << "generation " << old;
  }
}

TEST_F(RebuildTest, SecondRebuildOfTheTenantIsRefusedWhileOneHoldsTheLock) {
  Publish({.id = "idea1"});
  ASSERT_TRUE(Cast(Member("fr", "m1"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  const RankingKeys names(context_->keys, "fr");
  // Another replica is rebuilding.
  ASSERT_TRUE(
      redis_->Run({"SET", names.RebuildLock(), "other-replica", "PX", "60000"})
          .ok());
  const int64_t generation = Generation();
  absl::StatusOr<RebuildStats> refused = RebuildTenant(*context_, "fr");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(refused.status()), "OPERATION_IN_PROGRESS");
  // Neither its lock nor the live generation was touched.
  EXPECT_EQ(redis_->Run({"GET", names.RebuildLock()})->text, "other-replica");
  EXPECT_EQ(Generation(), generation);
  // Another tenant is not concerned.
  EXPECT_TRUE(RebuildTenant(*context_, "it").ok());

  ASSERT_TRUE(redis_->Run({"DEL", names.RebuildLock()}).ok());
  EXPECT_TRUE(RebuildTenant(*context_, "fr").ok());
  EXPECT_EQ(Generation(), generation + 1);
  // The lock is released after the rebuild.
  EXPECT_TRUE(redis_->Run({"GET", names.RebuildLock()})->is_nil());
}

TEST_F(RebuildTest, RebuildReplacesStrayAndWrongEntries) {
  Publish({.id = "idea1"});
  Publish({.id = "idea2"});
  ASSERT_TRUE(Cast(Member("fr", "m1"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  ASSERT_TRUE(Cast(Member("fr", "m2"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  const RedisState good = LiveState(*context_, "fr");
  // Redis drifts: a wrong count, a wrong score, an entry of no post.
  const RankingKeys names(context_->keys, "fr");
  const int64_t generation = Generation();
  ASSERT_TRUE(
      redis_->Run({"HSET", names.Tally(generation, "idea1"), "u", "9"}).ok());
  ASSERT_TRUE(redis_
                  ->Run({"ZADD", names.Board(generation, v1::BOARD_TOP, {}),
                         "50", "idea2"})
                  .ok());
  ASSERT_TRUE(redis_
                  ->Run({"ZADD", names.Board(generation, v1::BOARD_HOT, {}),
                         "99", "ghost"})
                  .ok());
  ASSERT_NE(LiveState(*context_, "fr"), good);

  ASSERT_TRUE(RebuildTenant(*context_, "fr").ok());
  const RedisState rebuilt = LiveState(*context_, "fr");
  EXPECT_TRUE(rebuilt == good) << Diff(rebuilt, good);
  EXPECT_EQ(KeysOfGeneration(*context_, "fr", generation), 0);
}

TEST_F(RebuildTest, RebuildOfOneTenantLeavesTheOthersKeys) {
  Publish({.id = "idea1"});
  Publish({.tenant = "it", .id = "idea1", .author = "marco"});
  AnnounceMember("it", "lucia");
  ASSERT_TRUE(Cast(Member("it", "lucia"), "it", "idea1", VOTE_CHOICE_UP).ok());
  const RedisState italy = LiveState(*context_, "it");
  const int64_t italy_generation = Generation("it");
  ASSERT_TRUE(RebuildTenant(*context_, "fr").ok());
  EXPECT_EQ(Generation("it"), italy_generation);
  EXPECT_EQ(LiveState(*context_, "it"), italy);
  EXPECT_EQ(Ids(Board(v1::BOARD_TOP, TIME_WINDOW_ALL_TIME, "it")),
            std::vector<std::string>{"idea1"});
}

TEST_F(RebuildTest, RebuildWithRedisDownIsUnavailable) {
  redis::RedisOptions options = redis_namespace_.options();
  options.port = testing::FreePort();
  redis::RedisClient down_redis(options);
  std::unique_ptr<RankingContext> down = MakeContext(down_redis);
  EXPECT_EQ(RebuildTenant(*down, "fr").status().code(),
            absl::StatusCode::kUnavailable);
  Rebuilder rebuilder(*down);
  EXPECT_EQ(rebuilder.Start(Admin("fr"), StartRequest()).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(Query("SELECT count(*) FROM rebuilds"), "0");
}

TEST_F(RebuildTest, AdminStartsABackgroundRebuildAndPollsItToSuccess) {
  Publish({.id = "idea1"});
  Publish({.id = "idea2"});
  Publish({.id = "c1", .kind = CONTENT_KIND_COMMENT, .in_reply_to = "idea1"});
  ASSERT_TRUE(Cast(Member("fr", "m1"), "fr", "idea1", VOTE_CHOICE_UP).ok());
  ASSERT_TRUE(Cast(Member("fr", "m2"), "fr", "idea2", VOTE_CHOICE_DOWN).ok());
  ASSERT_TRUE(Cast(Member("fr", "m3"), "fr", "c1", VOTE_CHOICE_LIKE).ok());
  const RedisState before = LiveState(*context_, "fr");
  const int64_t generation = Generation();

  Rebuilder rebuilder(*context_);
  absl::StatusOr<v1::Rebuild> started =
      rebuilder.Start(Admin("fr"), StartRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->state(), v1::Rebuild::STATE_RUNNING);
  EXPECT_TRUE(absl::StartsWith(started->name(), "tenants/fr/rebuilds/"));
  EXPECT_EQ(started->requester().name(), "tenants/fr/members/boss");
  EXPECT_EQ(started->requester().type(), common::v1::ACTOR_TYPE_MEMBER);
  EXPECT_TRUE(started->has_start_time());
  EXPECT_FALSE(started->has_end_time());

  const v1::Rebuild done = AwaitRebuild(rebuilder, started->name());
  EXPECT_EQ(done.state(), v1::Rebuild::STATE_SUCCEEDED) << done.error_message();
  EXPECT_EQ(done.progress_percent(), 100);
  EXPECT_EQ(done.votes_scanned(), 3);
  EXPECT_EQ(done.tallies_written(), 3);
  EXPECT_EQ(done.boards_written(), 2);  // the comment has no boards
  EXPECT_TRUE(done.error_message().empty());
  EXPECT_TRUE(done.has_end_time());
  EXPECT_EQ(Generation(), generation + 1);
  const RedisState after = LiveState(*context_, "fr");
  EXPECT_TRUE(after == before) << Diff(after, before);

  v1::ListRebuildsRequest list;
  list.set_parent("tenants/fr");
  absl::StatusOr<v1::ListRebuildsResponse> listed =
      rebuilder.List(Admin("fr"), list);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->rebuilds_size(), 1);
  EXPECT_EQ(listed->rebuilds(0).name(), started->name());
  EXPECT_EQ(listed->rebuilds(0).state(), v1::Rebuild::STATE_SUCCEEDED);

  v1::GetRebuildRequest unknown;
  unknown.set_name("tenants/fr/rebuilds/00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(rebuilder.Get(Admin("fr"), unknown).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(RebuildTest, StartReturnsTheRebuildAlreadyRunning) {
  // Another replica's rebuild of the tenant is on record as running.
  Exec(
      "INSERT INTO rebuilds (tenant, id, state, requester, progress_percent)"
      " VALUES ('fr', '6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99', 1, '', 40)");
  Rebuilder rebuilder(*context_);
  absl::StatusOr<v1::Rebuild> started =
      rebuilder.Start(Admin("fr"), StartRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->name(),
            "tenants/fr/rebuilds/6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99");
  EXPECT_EQ(started->state(), v1::Rebuild::STATE_RUNNING);
  EXPECT_EQ(started->progress_percent(), 40);
  EXPECT_EQ(Query("SELECT count(*) FROM rebuilds"), "1");
}

TEST_F(RebuildTest, RecordLeftRunningByAStoppedReplicaDoesNotBlockRebuilds) {
  // A replica died an hour ago mid-rebuild: its record still says
  // running, and its lock has long expired.
  Exec(
      "INSERT INTO rebuilds (tenant, id, state, requester, start_time)"
      " VALUES ('fr', '6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99', 1, '',"
      " now() - interval '1 hour')");
  Rebuilder rebuilder(*context_);
  absl::StatusOr<v1::Rebuild> started =
      rebuilder.Start(Admin("fr"), StartRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_NE(started->name(),
            "tenants/fr/rebuilds/6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99");
  EXPECT_EQ(AwaitRebuild(rebuilder, started->name()).state(),
            v1::Rebuild::STATE_SUCCEEDED);
  v1::GetRebuildRequest get;
  get.set_name("tenants/fr/rebuilds/6f1c2a9e-0b7d-4e55-9a35-6f3d2c1b0a99");
  absl::StatusOr<v1::Rebuild> abandoned = rebuilder.Get(Admin("fr"), get);
  ASSERT_TRUE(abandoned.ok()) << abandoned.status();
  EXPECT_EQ(abandoned->state(), v1::Rebuild::STATE_FAILED);
  EXPECT_NE(abandoned->error_message().find("abandoned"), std::string::npos);
  EXPECT_TRUE(abandoned->has_end_time());

  // An old record whose replica still holds the lock is still running.
  Exec(
      "INSERT INTO rebuilds (tenant, id, state, requester, start_time)"
      " VALUES ('fr', '0b7d6f1c-2a9e-4e55-9a35-6f3d2c1b0a99', 1, '',"
      " now() - interval '1 hour')");
  ASSERT_TRUE(redis_
                  ->Run({"SET", RankingKeys(context_->keys, "fr").RebuildLock(),
                         "other-replica", "PX", "60000"})
                  .ok());
  started = rebuilder.Start(Admin("fr"), StartRequest());
  ASSERT_TRUE(started.ok()) << started.status();
  EXPECT_EQ(started->name(),
            "tenants/fr/rebuilds/0b7d6f1c-2a9e-4e55-9a35-6f3d2c1b0a99");
  EXPECT_EQ(started->state(), v1::Rebuild::STATE_RUNNING);
}

TEST_F(RebuildTest, OnlyAdminsOfTheTenantAndScopedServiceAccountsRebuild) {
  Rebuilder rebuilder(*context_);
  auto code_of = [&](const auth::Principal& caller) {
    return rebuilder.Start(caller, StartRequest()).status().code();
  };
  EXPECT_EQ(code_of(Member("fr", "m1")), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of(WithRole(Member("fr", "mod"), auth::kRoleModerator)),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of(Admin("it")), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(code_of(ServiceAccount({"ranking.read"})),
            absl::StatusCode::kPermissionDenied);
  auth::Principal other_tenant_service = ServiceAccount({"ranking.admin"});
  other_tenant_service.tenant = "it";
  EXPECT_EQ(code_of(other_tenant_service), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Query("SELECT count(*) FROM rebuilds"), "0");

  // Reading the records needs the same rights.
  v1::ListRebuildsRequest list;
  list.set_parent("tenants/fr");
  EXPECT_EQ(rebuilder.List(Member("fr", "m1"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(rebuilder.List(Admin("it"), list).status().code(),
            absl::StatusCode::kPermissionDenied);

  absl::StatusOr<v1::Rebuild> by_service =
      rebuilder.Start(ServiceAccount({"ranking.admin"}), StartRequest());
  ASSERT_TRUE(by_service.ok()) << by_service.status();
  EXPECT_EQ(by_service->requester().type(),
            common::v1::ACTOR_TYPE_SERVICE_ACCOUNT);
  EXPECT_EQ(by_service->requester().name(), "tenants/fr/serviceAccounts/crm");
  EXPECT_EQ(AwaitRebuild(rebuilder, by_service->name()).state(),
            v1::Rebuild::STATE_SUCCEEDED);
  v1::GetRebuildRequest get;
  get.set_name(by_service->name());
  EXPECT_EQ(rebuilder.Get(Member("fr", "m1"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(rebuilder.Get(Admin("it"), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(rebuilder.Get(ServiceAccount({"ranking.admin"}), get).ok());

  // A platform admin may rebuild any tenant.
  auth::Principal platform = Member("it", "root");
  platform.roles.push_back(auth::kRolePlatformAdmin);
  absl::StatusOr<v1::Rebuild> by_platform =
      rebuilder.Start(platform, StartRequest());
  ASSERT_TRUE(by_platform.ok()) << by_platform.status();
  EXPECT_EQ(AwaitRebuild(rebuilder, by_platform->name()).state(),
            v1::Rebuild::STATE_SUCCEEDED);

  v1::RebuildLeaderboardsRequest bad = StartRequest("");
  absl::StatusOr<v1::Rebuild> refused = rebuilder.Start(Admin("fr"), bad);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("parent"), std::string::npos);
}

}  // namespace
}  // namespace agora::ranking
