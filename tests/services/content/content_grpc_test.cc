// The agora-content binary as deployed, beside the real agora-moderation
// and agora-ranking binaries on one PostgreSQL database (a schema each)
// and one Redis: tenants and members announced on identity's stream the
// way identity's relay writes them, real Ed25519 tokens, content minting
// its screening tokens with the development key (--dev_signing_key). It
// proves the flows that cross services: a post screened by moderation,
// indexed by ranking from content's events and listed hot; a held post
// published by a moderator's decision; finalists of a contest round taken
// from ranking's board.
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "agora/content/v1/content.grpc.pb.h"
#include "agora/events/v1/events.pb.h"
#include "agora/moderation/v1/moderation.grpc.pb.h"
#include "agora/ranking/v1/ranking.grpc.pb.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/key_set.h"
#include "libs/auth/roles.h"
#include "libs/redis/client.h"
#include "tests/harness/child_process.h"
#include "tests/harness/event_stream.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;

constexpr char kIssuer[] = "agora-content-grpc-test";
// Generous for sanitizer builds on a loaded machine; polls end as soon as
// the condition holds.
constexpr absl::Duration kPatience = absl::Seconds(45);

bool Eventually(const std::function<bool()>& done) {
  const absl::Time deadline = absl::Now() + kPatience;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(absl::Milliseconds(100));
  }
  return true;
}

std::unique_ptr<grpc::ClientContext> Call(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

google::protobuf::Timestamp At(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// The three services, started once for the suite.
class Services {
 public:
  Services() {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    EXPECT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    absl::StatusOr<auth::Ed25519PrivateKey> key =
        auth::Ed25519PrivateKey::Generate();
    EXPECT_TRUE(key.ok());
    auth::KeySet keys;
    EXPECT_TRUE(keys.Add(key->public_key()).ok());
    const std::string base =
        ::testing::TempDir() + "/content-grpc-" + testing::RandomName();
    jwks_path_ = base + "-jwks.json";
    key_path_ = base + "-key.pem";
    std::ofstream(jwks_path_) << auth::ToJwks(keys);
    std::ofstream(key_path_) << key->ToPem().value_or("");
    signer_ = std::make_unique<auth::JwtSigner>(*std::move(key));
    redis_client_ = std::make_unique<redis::RedisClient>(redis_.options());

    moderation_port_ = Start(AGORA_MODERATION_BINARY, {});
    ranking_port_ = Start(AGORA_RANKING_BINARY, {});
    content_port_ = Start(
        AGORA_CONTENT_BINARY,
        {absl::StrCat("--moderation_address=127.0.0.1:", moderation_port_),
         absl::StrCat("--ranking_address=127.0.0.1:", ranking_port_),
         absl::StrCat("--dev_signing_key=", key_path_),
         // Screening by a sanitizer build on a busy machine: a held post
         // would be a wrong test result, not a wrong service.
         "--screening_deadline=10s"});
    content = v1::ContentService::NewStub(Channel(content_port_));
    ranking = ranking::v1::RankingService::NewStub(Channel(ranking_port_));
    moderation =
        moderation::v1::ModerationService::NewStub(Channel(moderation_port_));
  }
  ~Services() {
    processes_.clear();
    std::remove(jwks_path_.c_str());
    std::remove(key_path_.c_str());
  }

  std::string Token(const std::string& tenant, const std::string& subject,
                    std::vector<std::string> roles = {auth::kRoleMember}) {
    auth::Claims claims;
    claims.issuer = kIssuer;
    claims.audience = {"agora"};
    claims.subject = subject;
    claims.tenant = tenant;
    claims.roles = std::move(roles);
    claims.trust_level = auth::kTrustLevelMember;
    claims.expires_at = absl::Now() + absl::Minutes(30);
    return signer_->Sign(claims).value_or("");
  }

  // What identity's relay puts on its stream.
  void Announce(const std::string& tenant,
                const std::function<void(ev::Event&)>& fill) {
    ev::Event event;
    event.set_id(testing::NewEventUuid());
    event.set_tenant("tenants/" + tenant);
    *event.mutable_occur_time() = At(absl::Now());
    event.mutable_actor()->set_type(common::ACTOR_TYPE_SYSTEM);
    event.set_producer(ev::PRODUCER_IDENTITY);
    fill(event);
    event.set_subject("tenants/" + tenant);
    absl::Status published = testing::PublishOnStream(
        *redis_client_, redis_.prefix(), "identity", event);
    EXPECT_TRUE(published.ok()) << published;
  }

  std::unique_ptr<v1::ContentService::Stub> content;
  std::unique_ptr<ranking::v1::RankingService::Stub> ranking;
  std::unique_ptr<moderation::v1::ModerationService::Stub> moderation;

 private:
  int Start(const char* binary, std::vector<std::string> extra) {
    const int port = testing::FreePort();
    std::vector<std::string> argv = {
        binary,
        absl::StrCat("--pg_url=", db_->url()),
        absl::StrCat("--redis_address=", testing::RedisAddress()),
        absl::StrCat("--redis_key_prefix=", redis_.prefix()),
        absl::StrCat("--jwks_file=", jwks_path_),
        absl::StrCat("--token_issuer=", kIssuer),
        absl::StrCat("--listen=127.0.0.1:", port),
        "--metrics_port=-1",
        "--log_level=warn"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start(argv);
    EXPECT_TRUE(process.ok()) << process.status();
    if (process.ok()) processes_.push_back(*std::move(process));
    EXPECT_TRUE(testing::WaitForPort(port, absl::Seconds(60)))
        << binary << " did not listen";
    return port;
  }

  static std::shared_ptr<grpc::Channel> Channel(int port) {
    return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                               grpc::InsecureChannelCredentials());
  }

  testing::TestRedis redis_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::string jwks_path_;
  std::string key_path_;
  std::unique_ptr<auth::JwtSigner> signer_;
  std::unique_ptr<redis::RedisClient> redis_client_;
  std::vector<testing::ChildProcess> processes_;
  int moderation_port_ = 0;
  int ranking_port_ = 0;
  int content_port_ = 0;
};

class ContentServiceTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { services_ = new Services(); }
  static void TearDownTestSuite() {
    delete services_;
    services_ = nullptr;
  }

  void SetUp() override {
    tenant_ = "g" + testing::RandomName(8);
    services_->Announce(tenant_, [&](ev::Event& event) {
      ev::TenantCreated& created = *event.mutable_tenant_created();
      created.set_tenant("tenants/" + tenant_);
      created.set_default_language("fr");
      created.add_allowed_languages("fr");
      created.set_time_zone("Europe/Paris");
    });
    for (const char* member : {"alice", "bruno", "chloe", "david"}) {
      services_->Announce(tenant_, [&](ev::Event& event) {
        ev::MemberRegistered& registered = *event.mutable_member_registered();
        registered.set_member(
            absl::StrCat("tenants/", tenant_, "/members/", member));
        registered.set_display_name(member);
        registered.set_language("fr");
        *registered.mutable_create_time() =
            At(absl::Now() - absl::Hours(24 * 90));
      });
    }
    admin_ = services_->Token(tenant_, "admin", {auth::kRoleTenantAdmin});
    // Content knows the tenant once it applied identity's event.
    ASSERT_TRUE(Eventually([&] {
      v1::GetContentSettingsRequest request;
      request.set_name(absl::StrCat("tenants/", tenant_, "/contentSettings"));
      v1::ContentSettings settings;
      return services_->content
          ->GetContentSettings(Call().get(), request, &settings)
          .ok();
    })) << "content never heard of the tenant";
  }

  std::string Member(const std::string& id) {
    return services_->Token(tenant_, id);
  }

  v1::Space MakeSpace(
      const std::string& id, v1::SpaceKind kind,
      common::ModerationMode mode = common::MODERATION_MODE_AUTOMATIC) {
    v1::CreateSpaceRequest request;
    request.set_parent("tenants/" + tenant_);
    request.set_space_id(id);
    request.mutable_space()->set_kind(kind);
    request.mutable_space()->set_moderation_mode(mode);
    (*request.mutable_space()
          ->mutable_display_name()
          ->mutable_translations())["fr"] = id;
    v1::Space space;
    const grpc::Status status =
        services_->content->CreateSpace(Call(admin_).get(), request, &space);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return space;
  }

  grpc::Status CreatePost(const std::string& token, const v1::Post& post,
                          v1::Post* created) {
    v1::CreatePostRequest request;
    request.set_parent("tenants/" + tenant_);
    *request.mutable_post() = post;
    return services_->content->CreatePost(Call(token).get(), request, created);
  }

  // Ranking indexed the post once a tally can be read.
  bool RankingKnows(const std::string& post) {
    return Eventually([&] {
      ranking::v1::GetTallyRequest request;
      request.set_name(post + "/tally");
      ranking::v1::Tally tally;
      return services_->ranking->GetTally(Call().get(), request, &tally).ok();
    });
  }

  grpc::Status Vote(const std::string& member, const std::string& post,
                    common::VoteChoice choice = common::VOTE_CHOICE_UP) {
    ranking::v1::CastVoteRequest request;
    request.set_target(post);
    request.set_choice(choice);
    ranking::v1::CastVoteResponse response;
    return services_->ranking->CastVote(Call(Member(member)).get(), request,
                                        &response);
  }

  static Services* services_;
  std::string tenant_;
  std::string admin_;
};

Services* ContentServiceTest::services_ = nullptr;

TEST_F(ContentServiceTest, AnIdeaIsScreenedIndexedVotedAndListedHot) {
  const v1::Space space = MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
  v1::CreateCategoryRequest category;
  category.set_parent(space.name());
  category.set_category_id("appli");
  (*category.mutable_category()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Application";
  v1::Category created_category;
  ASSERT_TRUE(
      services_->content
          ->CreateCategory(Call(admin_).get(), category, &created_category)
          .ok());
  std::vector<std::string> ideas;
  for (const char* title : {"Virements instantanés", "Mode sombre"}) {
    v1::Post idea;
    idea.set_kind(common::CONTENT_KIND_IDEA);
    idea.set_space(space.name());
    idea.set_category(created_category.name());
    idea.set_title(title);
    idea.set_body("Ce serait très pratique, merci de l'étudier.");
    v1::Post created;
    const grpc::Status status = CreatePost(Member("alice"), idea, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(created.state(), common::POST_STATE_PUBLISHED)
        << created.moderation().DebugString();
    ideas.push_back(created.name());
  }
  ASSERT_TRUE(RankingKnows(ideas[0]) && RankingKnows(ideas[1]))
      << "ranking never indexed content's posts";
  // The second idea gets the votes and leads the hot list.
  for (const char* voter : {"bruno", "chloe", "david"}) {
    const grpc::Status status = Vote(voter, ideas[1]);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_TRUE(Eventually([&] {
    v1::ListPostsRequest list;
    list.set_space(space.name());
    list.set_order_by(v1::POST_ORDER_HOT);
    v1::ListPostsResponse response;
    return services_->content->ListPosts(Call().get(), list, &response).ok() &&
           response.posts_size() == 2 && response.posts(0).name() == ideas[1];
  })) << "the hot list never put the voted idea first";

  // Staff answer publicly; anyone reads the history.
  v1::UpdateIdeaStatusRequest status_change;
  status_change.set_name(ideas[1]);
  status_change.set_status(common::IDEA_STATUS_UNDER_REVIEW);
  status_change.mutable_official_response()->set_body(
      "Bonne idée : nous l'étudions.");
  v1::Post moved;
  ASSERT_TRUE(services_->content
                  ->UpdateIdeaStatus(Call(services_->Token(tenant_, "camille",
                                                           {auth::kRoleStaff}))
                                         .get(),
                                     status_change, &moved)
                  .ok());
  EXPECT_EQ(moved.idea().status(), common::IDEA_STATUS_UNDER_REVIEW);
  v1::ListIdeaStatusHistoryRequest history;
  history.set_parent(ideas[1]);
  v1::ListIdeaStatusHistoryResponse changes;
  ASSERT_TRUE(
      services_->content->ListIdeaStatusHistory(Call().get(), history, &changes)
          .ok());
  EXPECT_EQ(changes.status_changes_size(), 2);
}

TEST_F(ContentServiceTest, AHeldPostIsPublishedByAModeratorsDecision) {
  const v1::Space space = MakeSpace("questions", v1::SPACE_KIND_QUESTIONS,
                                    common::MODERATION_MODE_PRE_MODERATION);
  v1::Post question;
  question.set_kind(common::CONTENT_KIND_QUESTION);
  question.set_space(space.name());
  question.set_title("Opposition sur ma carte");
  question.set_body("Comment faire opposition un dimanche ?");
  v1::Post held;
  ASSERT_TRUE(CreatePost(Member("alice"), question, &held).ok());
  ASSERT_EQ(held.state(), common::POST_STATE_PENDING);
  EXPECT_TRUE(held.moderation().has_expected_decision_time());
  v1::GetPostRequest get;
  get.set_name(held.name());
  v1::Post seen;
  EXPECT_EQ(services_->content->GetPost(Call().get(), get, &seen).error_code(),
            StatusCode::NOT_FOUND);

  const std::string moderator =
      services_->Token(tenant_, "lea", {auth::kRoleModerator});
  moderation::v1::ListQueueItemsRequest queue;
  queue.set_parent("tenants/" + tenant_);
  queue.set_target(held.name());
  moderation::v1::ListQueueItemsResponse items;
  ASSERT_TRUE(services_->moderation
                  ->ListQueueItems(Call(moderator).get(), queue, &items)
                  .ok());
  ASSERT_EQ(items.queue_items_size(), 1);
  moderation::v1::DecideRequest decide;
  decide.set_name(items.queue_items(0).name());
  decide.set_action(moderation::v1::DECISION_ACTION_APPROVE);
  moderation::v1::Decision decision;
  const grpc::Status decided =
      services_->moderation->Decide(Call(moderator).get(), decide, &decision);
  ASSERT_TRUE(decided.ok()) << decided.error_message();
  EXPECT_TRUE(Eventually([&] {
    return services_->content->GetPost(Call().get(), get, &seen).ok() &&
           seen.state() == common::POST_STATE_PUBLISHED;
  })) << "content never applied moderation's decision";
  EXPECT_TRUE(RankingKnows(held.name()))
      << "ranking never indexed the published post";
}

TEST_F(ContentServiceTest, ErrorsAreTheContractsOverTheWire) {
  const v1::Space space = MakeSpace("forum", v1::SPACE_KIND_FORUM);
  v1::Post question;
  question.set_kind(common::CONTENT_KIND_QUESTION);
  question.set_space(space.name());
  question.set_title(std::string(201, 'x'));
  question.set_body("Texte");
  v1::Post created;
  grpc::Status status = CreatePost("", question, &created);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  status = CreatePost("not-a-token", question, &created);
  EXPECT_EQ(status.error_code(), StatusCode::UNAUTHENTICATED);
  status = CreatePost(Member("alice"), question, &created);
  EXPECT_EQ(status.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(status.error_message().rfind("post.title", 0), 0u)
      << status.error_message();
  // A member of another tenant.
  status = CreatePost(services_->Token("other", "mallory"), question, &created);
  EXPECT_EQ(status.error_code(), StatusCode::PERMISSION_DENIED);
  v1::GetPostRequest get;
  get.set_name(absl::StrCat("tenants/", tenant_, "/posts/nothing"));
  v1::Post post;
  EXPECT_EQ(services_->content->GetPost(Call().get(), get, &post).error_code(),
            StatusCode::NOT_FOUND);
  get.set_name("tenants/../posts/x");
  EXPECT_EQ(services_->content->GetPost(Call().get(), get, &post).error_code(),
            StatusCode::INVALID_ARGUMENT);
}

TEST_F(ContentServiceTest, ContestFinalistsComeFromRankingsBoardOfTheRound) {
  const v1::Space space = MakeSpace("concours", v1::SPACE_KIND_CONTESTS);
  // A round open for a few seconds, whose voting ends a little later.
  const absl::Time start = absl::Now() - absl::Seconds(1);
  v1::CreateContestRequest create;
  create.set_parent("tenants/" + tenant_);
  create.set_contest_id("photo");
  v1::Contest& contest = *create.mutable_contest();
  contest.set_space(space.name());
  contest.set_state(v1::Contest::STATE_PUBLISHED);
  (*contest.mutable_title()->mutable_translations())["fr"] = "Photo";
  contest.set_rules_uri("https://banque.example/reglement");
  v1::Round& round = *contest.add_rounds();
  round.set_round_id("r1");
  *round.mutable_submission_start_time() = At(start);
  *round.mutable_submission_end_time() = At(start + absl::Seconds(12));
  *round.mutable_voting_end_time() = At(start + absl::Seconds(18));
  round.set_finalist_count(1);
  v1::Prize& prize = *round.add_prizes();
  prize.set_rank(1);
  (*prize.mutable_description()->mutable_translations())["fr"] = "Un vélo";
  v1::Contest created;
  const grpc::Status made = services_->content->CreateContest(
      Call(services_->Token(tenant_, "camille", {auth::kRoleStaff})).get(),
      create, &created);
  ASSERT_TRUE(made.ok()) << made.error_message();
  std::vector<std::string> entries;
  for (const char* author : {"alice", "bruno"}) {
    v1::Post entry;
    entry.set_kind(common::CONTENT_KIND_CONTEST_ENTRY);
    entry.set_space(space.name());
    entry.set_title(absl::StrCat("Photo de ", author));
    entry.set_body("Le port au coucher du soleil.");
    entry.mutable_contest_entry()->set_round(created.rounds(0).name());
    v1::Post posted;
    const grpc::Status status = CreatePost(Member(author), entry, &posted);
    ASSERT_TRUE(status.ok()) << status.error_message();
    entries.push_back(posted.name());
  }
  ASSERT_TRUE(RankingKnows(entries[0]) && RankingKnows(entries[1]));
  for (const char* voter : {"chloe", "david"}) {
    // Contest entries take likes (ranking's default for the kind).
    const grpc::Status voted =
        Vote(voter, entries[1], common::VOTE_CHOICE_LIKE);
    ASSERT_TRUE(voted.ok()) << voted.error_message();
  }
  // Once voting ended, the round's finalist is the most popular entry.
  absl::SleepFor(start + absl::Seconds(19) - absl::Now());
  v1::GetContestRequest get;
  get.set_name(created.name());
  v1::Contest judged;
  ASSERT_TRUE(Eventually([&] {
    return services_->content->GetContest(Call().get(), get, &judged).ok() &&
           judged.rounds(0).finalists_size() == 1;
  })) << judged.DebugString();
  EXPECT_EQ(judged.rounds(0).phase(), v1::Round::PHASE_JUDGING);
  EXPECT_EQ(judged.rounds(0).finalists(0), entries[1]);
  v1::SelectContestWinnersRequest select;
  select.set_name(created.rounds(0).name());
  v1::WinnerSelection& winner = *select.add_winners();
  winner.set_entry(entries[1]);
  winner.set_rank(1);
  v1::Contest decided;
  const grpc::Status chosen = services_->content->SelectContestWinners(
      Call(services_->Token(tenant_, "jury", {auth::kRoleJury})).get(), select,
      &decided);
  ASSERT_TRUE(chosen.ok()) << chosen.error_message();
  EXPECT_EQ(decided.rounds(0).phase(), v1::Round::PHASE_DECIDED);
  EXPECT_EQ(decided.state(), v1::Contest::STATE_CLOSED);
  ASSERT_EQ(decided.rounds(0).winners_size(), 1);
  EXPECT_EQ(decided.rounds(0).winners(0).author().name(),
            absl::StrCat("tenants/", tenant_, "/members/bruno"));
}

}  // namespace
}  // namespace agora::content
