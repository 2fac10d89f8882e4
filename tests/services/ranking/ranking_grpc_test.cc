// The agora-ranking binary as deployed: started as a process (it applies its
// migrations into schema "ranking", checks PostgreSQL and Redis), fed the
// way it is in production — tenants and members on identity's Redis stream,
// posts on content's, entries written exactly as the outbox relay writes
// them — and called over gRPC with real Ed25519 tokens verified against the
// JWKS file it is given. Also its operator command `rebuild` and SIGTERM.
#include <google/protobuf/any.pb.h>
#include <google/protobuf/util/time_util.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "agora/events/v1/events.pb.h"
#include "agora/ranking/v1/ranking.grpc.pb.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/jwks.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/key_set.h"
#include "libs/auth/roles.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "tests/harness/child_process.h"
#include "tests/harness/health_probe.h"
#include "tests/harness/ports.h"
#include "tests/harness/test_database.h"
#include "tests/harness/test_environment.h"
#include "tests/harness/test_redis.h"

namespace agora::ranking {
namespace {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;
using google::protobuf::util::TimeUtil;
using grpc::StatusCode;
using HealthStatus = grpc::health::v1::HealthCheckResponse;

// Not the default issuer, so that the tokens prove the flag is honoured.
constexpr char kIssuer[] = "agora-ranking-grpc-test";
constexpr char kAudience[] = "agora";
// How long the service may take to apply an event, finish a rebuild or
// stop; generous for a sanitizer build on a shared machine. Polls end as
// soon as the condition holds.
constexpr absl::Duration kPatience = absl::Seconds(30);
constexpr absl::Duration kPollInterval = absl::Milliseconds(50);

// True once `done()` holds, false if it still does not after `timeout`.
bool Eventually(const std::function<bool()>& done,
                absl::Duration timeout = kPatience) {
  const absl::Time deadline = absl::Now() + timeout;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    absl::SleepFor(kPollInterval);
  }
  return true;
}

std::unique_ptr<grpc::ClientContext> Call(const std::string& token = "") {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(20)));
  if (!token.empty()) context->AddMetadata("authorization", "Bearer " + token);
  return context;
}

// A random (version 4) UUID, lower case: what event ids look like.
std::string NewUuid() {
  absl::BitGen random;
  const uint64_t high =
      (absl::Uniform<uint64_t>(random) & ~uint64_t{0xf000}) | 0x4000;
  const uint64_t low = (absl::Uniform<uint64_t>(random) >> 2) |
                       (uint64_t{1} << 63);  // variant 10xx
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32,
                         (high >> 16) & 0xffff, high & 0xffff, low >> 48,
                         low & 0xffffffffffffULL);
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// The name of the payload field set on `event` ("post_published"): the
// stream entry's `type`, as libs/events ToRecord names it.
std::string PayloadType(const ev::Event& event) {
  const google::protobuf::OneofDescriptor* payload =
      event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* field =
      event.GetReflection()->GetOneofFieldDescriptor(event, payload);
  return field == nullptr ? "" : field->name();
}

std::string PostName(const std::string& tenant, const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/posts/", id);
}

std::string MemberName(const std::string& tenant, const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/members/", id);
}

std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class RankingServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::TestDatabase> db = testing::TestDatabase::Create();
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::make_unique<testing::TestDatabase>(*std::move(db));
    absl::StatusOr<auth::Ed25519PrivateKey> key =
        auth::Ed25519PrivateKey::Generate();
    ASSERT_TRUE(key.ok());
    auth::KeySet keys;
    ASSERT_TRUE(keys.Add(key->public_key()).ok());
    jwks_path_ = ::testing::TempDir() + "/ranking-grpc-jwks-" +
                 testing::RandomName() + ".json";
    std::ofstream(jwks_path_) << auth::ToJwks(keys);
    signer_ = std::make_unique<auth::JwtSigner>(*std::move(key));
    producer_redis_ = std::make_unique<redis::RedisClient>(redis_.options());

    port_ = testing::FreePort();
    std::vector<std::string> serve = CommonFlags();
    serve.push_back(absl::StrCat("--listen=127.0.0.1:", port_));
    serve.push_back("--metrics_port=-1");
    // Long enough to see NOT_SERVING during the drain after SIGTERM.
    serve.push_back("--drain_grace=1s");
    absl::StatusOr<testing::ChildProcess> process =
        testing::ChildProcess::Start(serve);
    ASSERT_TRUE(process.ok()) << process.status();
    process_.emplace(*std::move(process));
    ASSERT_TRUE(testing::WaitForPort(port_, absl::Seconds(60)))
        << "agora-ranking did not listen";
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port_),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::RankingService::NewStub(channel_);
    ASSERT_TRUE(testing::WaitForHealth(channel_, HealthStatus::SERVING,
                                       absl::Seconds(30)))
        << "never SERVING";
    Seed();
  }

  void TearDown() override { std::remove(jwks_path_.c_str()); }

  // The flags of both the server and the operator command.
  std::vector<std::string> CommonFlags() const {
    return {AGORA_RANKING_BINARY,
            absl::StrCat("--pg_url=", db_->url()),
            absl::StrCat("--redis_address=", testing::RedisAddress()),
            absl::StrCat("--redis_key_prefix=", redis_.prefix()),
            absl::StrCat("--jwks_file=", jwks_path_),
            absl::StrCat("--token_issuer=", kIssuer),
            absl::StrCat("--token_audience=", kAudience),
            "--log_level=warn"};
  }

  std::string Token(const std::string& tenant, const std::string& subject,
                    std::vector<std::string> roles = {auth::kRoleMember}) {
    auth::Claims claims;
    claims.issuer = kIssuer;
    claims.audience = {kAudience};
    claims.subject = subject;
    claims.tenant = tenant;
    claims.roles = std::move(roles);
    claims.trust_level = auth::kTrustLevelMember;
    claims.expires_at = absl::Now() + absl::Minutes(10);
    absl::StatusOr<std::string> token = signer_->Sign(claims);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.value_or("");
  }

  // --- Producers: what identity's and content's relays put on Redis. ---

  // The envelope events::NewEvent builds (libs/events/typed_event.cc),
  // written out here: this target does not link agora_typed_events.
  ev::Event NewEvent(ev::Producer producer, const std::string& tenant,
                     const std::string& subject) {
    ev::Event event;
    event.set_id(NewUuid());
    event.set_tenant("tenants/" + tenant);
    *event.mutable_occur_time() = ToTimestamp(absl::Now());
    event.mutable_actor()->set_type(common::ACTOR_TYPE_SYSTEM);
    event.set_producer(producer);
    event.set_subject(subject);
    return event;
  }

  // Appends `event` to `producer`'s stream, with the fields and values
  // OutboxRelay::PublishBatch writes (event_id, tenant, type, payload).
  void PublishOn(const std::string& producer, const ev::Event& event) {
    const std::string type = PayloadType(event);
    ASSERT_FALSE(type.empty()) << "event without payload";
    std::string payload;
    ASSERT_TRUE(event.SerializeToString(&payload));
    absl::StatusOr<redis::Reply> added = producer_redis_->Run(
        {"XADD",
         redis::KeyBuilder(redis_.prefix()).SharedKey("events", {producer}),
         "MAXLEN", "~", "100000", "*", "event_id", event.id(), "tenant",
         event.tenant(), "type", type, "payload", payload});
    ASSERT_TRUE(added.ok()) << added.status();
    ASSERT_FALSE(added->is_error()) << added->text;
  }

  void AnnounceTenant(const std::string& tenant, const std::string& zone) {
    ev::Event event =
        NewEvent(ev::PRODUCER_IDENTITY, tenant, "tenants/" + tenant);
    event.mutable_tenant_created()->set_tenant("tenants/" + tenant);
    event.mutable_tenant_created()->set_display_name(tenant);
    event.mutable_tenant_created()->set_time_zone(zone);
    PublishOn("identity", event);
  }

  // A member who signed up `age` ago.
  void AnnounceMember(const std::string& tenant, const std::string& id,
                      absl::Duration age) {
    ev::Event event =
        NewEvent(ev::PRODUCER_IDENTITY, tenant, MemberName(tenant, id));
    ev::MemberRegistered* member = event.mutable_member_registered();
    member->set_member(MemberName(tenant, id));
    member->set_display_name(id);
    member->set_method(ev::SIGN_UP_METHOD_PASSWORD);
    *member->mutable_create_time() = ToTimestamp(absl::Now() - age);
    PublishOn("identity", event);
  }

  // An idea of `author` in the space "lab", published now.
  void PublishPost(const std::string& tenant, const std::string& id,
                   const std::string& author) {
    ev::Event event =
        NewEvent(ev::PRODUCER_CONTENT, tenant, PostName(tenant, id));
    ev::PostPublished* post = event.mutable_post_published();
    post->mutable_post()->set_kind(common::CONTENT_KIND_IDEA);
    post->mutable_post()->set_name(PostName(tenant, id));
    post->set_space(absl::StrCat("tenants/", tenant, "/spaces/lab"));
    post->set_thread_root(PostName(tenant, id));
    post->set_author(MemberName(tenant, author));
    post->set_title("Une idée");
    post->set_language("fr");
    *post->mutable_create_time() = ToTimestamp(absl::Now());
    *post->mutable_publish_time() = ToTimestamp(absl::Now());
    PublishOn("content", event);
  }

  void HidePost(const std::string& tenant, const std::string& id,
                const std::string& author) {
    ev::Event event =
        NewEvent(ev::PRODUCER_CONTENT, tenant, PostName(tenant, id));
    ev::PostHidden* hidden = event.mutable_post_hidden();
    hidden->mutable_post()->set_kind(common::CONTENT_KIND_IDEA);
    hidden->mutable_post()->set_name(PostName(tenant, id));
    hidden->set_author(MemberName(tenant, author));
    hidden->set_decision("tenants/" + tenant + "/decisions/d-1");
    PublishOn("content", event);
  }

  // Two tenants; in fr an author, two voters of a month and a member who
  // signed up an hour ago, and two ideas of the author; in it one member.
  // Returns once the service has applied all of it (the members and posts
  // answer over gRPC).
  void Seed() {
    AnnounceTenant("fr", "Europe/Paris");
    AnnounceTenant("it", "Europe/Rome");
    const absl::Duration month = absl::Hours(24 * 30);
    for (const char* id : {"author", "ana", "ben"}) {
      AnnounceMember("fr", id, month);
    }
    AnnounceMember("fr", "newbie", absl::Hours(1));
    AnnounceMember("it", "giulia", month);
    PublishPost("fr", "idea1", "author");
    PublishPost("fr", "idea2", "author");

    for (const char* id : {"author", "ana", "ben", "newbie"}) {
      EXPECT_TRUE(Eventually([&] {
        v1::GetReputationRequest request;
        request.set_name(MemberName("fr", id) + "/reputation");
        v1::Reputation reputation;
        return stub_->GetReputation(Call().get(), request, &reputation).ok();
      })) << "member_registered of "
          << id << " never applied";
    }
    for (const char* id : {"idea1", "idea2"}) {
      ASSERT_TRUE(Eventually([&] { return GetTally("", "fr", id).ok(); }))
          << "post_published of " << id << " never applied";
    }
    // Those reads found fr without boards in Redis and started the rebuild
    // that builds them. Votes cast while it runs are counted, but between
    // its swap and its catch-up a tally can lag a vote behind; the tests
    // start once it is over, so that every answer below is exact.
    ASSERT_TRUE(Eventually([&] {
      std::optional<v1::ListLeaderboardResponse> board = TopBoard();
      return board.has_value() && !board->repairing() && NoRebuildRunning();
    })) << "fr's first rebuild never ended";
  }

  // --- Calls. ---

  grpc::Status CastVote(const std::string& token, const std::string& target,
                        common::VoteChoice choice, int stars = 0,
                        v1::CastVoteResponse* response = nullptr) {
    v1::CastVoteRequest request;
    request.set_target(target);
    request.set_choice(choice);
    request.set_stars(stars);
    v1::CastVoteResponse ignored;
    return stub_->CastVote(Call(token).get(), request,
                           response != nullptr ? response : &ignored);
  }

  grpc::Status GetTally(const std::string& token, const std::string& tenant,
                        const std::string& post, v1::Tally* tally = nullptr) {
    v1::GetTallyRequest request;
    request.set_name(PostName(tenant, post) + "/tally");
    v1::Tally ignored;
    return stub_->GetTally(Call(token).get(), request,
                           tally != nullptr ? tally : &ignored);
  }

  // fr's all-time TOP board, anonymously; nullopt when the call fails.
  std::optional<v1::ListLeaderboardResponse> TopBoard() {
    v1::ListLeaderboardRequest request;
    request.set_parent("tenants/fr");
    request.set_board(v1::BOARD_TOP);
    request.set_page_size(100);
    v1::ListLeaderboardResponse response;
    const grpc::Status status =
        stub_->ListLeaderboard(Call().get(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    if (!status.ok()) return std::nullopt;
    return response;
  }

  // The entry of `post` on a complete (not repairing) TOP board, nullopt
  // when it is not there or the board is being repaired.
  std::optional<v1::LeaderboardEntry> TopEntry(const std::string& post) {
    std::optional<v1::ListLeaderboardResponse> board = TopBoard();
    if (!board.has_value() || board->repairing()) return std::nullopt;
    for (const v1::LeaderboardEntry& entry : board->entries()) {
      if (entry.post().name() == PostName("fr", post)) return entry;
    }
    return std::nullopt;
  }

  grpc::Status Rebuild(const std::string& token, const std::string& tenant,
                       v1::Rebuild* rebuild) {
    v1::RebuildLeaderboardsRequest request;
    request.set_parent("tenants/" + tenant);
    return stub_->RebuildLeaderboards(Call(token).get(), request, rebuild);
  }

  grpc::Status GetRebuild(const std::string& token, const std::string& name,
                          v1::Rebuild* rebuild) {
    v1::GetRebuildRequest request;
    request.set_name(name);
    return stub_->GetRebuild(Call(token).get(), request, rebuild);
  }

  // True when fr has no rebuild running (the one the service starts on its
  // own when it finds Redis empty included).
  bool NoRebuildRunning() {
    v1::ListRebuildsRequest request;
    request.set_parent("tenants/fr");
    request.set_page_size(100);
    v1::ListRebuildsResponse response;
    if (!stub_->ListRebuilds(Call(AdminToken()).get(), request, &response)
             .ok()) {
      return false;
    }
    for (const v1::Rebuild& rebuild : response.rebuilds()) {
      if (rebuild.state() == v1::Rebuild::STATE_RUNNING) return false;
    }
    return true;
  }

  std::string AdminToken() {
    return Token("fr", "admin", {auth::kRoleMember, auth::kRoleTenantAdmin});
  }

  // Votes in PostgreSQL, read behind the service's back.
  int VotesInDatabase(const std::string& post, const std::string& voter) {
    pqxx::connection connection(db_->url());
    pqxx::work tx(connection);
    return tx
        .exec_params1(
            "SELECT count(*) FROM ranking.votes WHERE tenant = 'fr'"
            " AND target = $1 AND voter = $2",
            post, voter)[0]
        .as<int>();
  }

  struct CommandOutcome {
    std::optional<int> exit_code;
    std::string out;
    std::string err;
  };

  // Runs `agora-ranking <arguments...>` with the server's flags, its stdout
  // and stderr kept apart in files (the service logs JSON lines on stdout).
  CommandOutcome RunOperatorCommand(const std::vector<std::string>& arguments) {
    const std::string base =
        ::testing::TempDir() + "/ranking-grpc-command-" + testing::RandomName();
    const std::string out_path = base + ".out";
    const std::string err_path = base + ".err";
    std::vector<std::string> flags = CommonFlags();
    std::vector<std::string> argv = {
        "/bin/sh",
        "-c",
        "out=$1; err=$2; shift 2; exec \"$@\" >\"$out\" 2>\"$err\"",
        "sh",
        out_path,
        err_path,
        flags[0]};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    argv.insert(argv.end(), flags.begin() + 1, flags.end());
    CommandOutcome outcome;
    absl::StatusOr<testing::ChildProcess> command =
        testing::ChildProcess::Start(argv);
    EXPECT_TRUE(command.ok()) << command.status();
    if (!command.ok()) return outcome;
    outcome.exit_code = command->WaitExit(absl::Seconds(120));
    outcome.out = ReadWholeFile(out_path);
    outcome.err = ReadWholeFile(err_path);
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    return outcome;
  }

  testing::TestRedis redis_;
  std::unique_ptr<redis::RedisClient> producer_redis_;
  std::unique_ptr<testing::TestDatabase> db_;
  std::string jwks_path_;
  std::unique_ptr<auth::JwtSigner> signer_;
  int port_ = 0;
  std::optional<testing::ChildProcess> process_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RankingService::Stub> stub_;
};

TEST_F(RankingServiceTest, MemberVoteCountsIsDurableAndSameVoteChangesNothing) {
  const std::string ana = Token("fr", "ana");
  v1::CastVoteResponse cast;
  grpc::Status status =
      CastVote(ana, PostName("fr", "idea1"), common::VOTE_CHOICE_UP, 0, &cast);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(cast.changed());
  EXPECT_EQ(cast.vote().voter(), MemberName("fr", "ana"));
  EXPECT_EQ(cast.vote().choice(), common::VOTE_CHOICE_UP);
  EXPECT_EQ(cast.vote().status(), v1::Vote::STATUS_COUNTED);
  EXPECT_EQ(cast.tally().counts().ups(), 1);
  EXPECT_EQ(cast.tally().score(), 1);
  // Stored before the answer came back.
  EXPECT_EQ(VotesInDatabase("idea1", "ana"), 1);

  v1::CastVoteResponse again;
  status =
      CastVote(ana, PostName("fr", "idea1"), common::VOTE_CHOICE_UP, 0, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(again.changed()) << "the first vote was not kept";
  EXPECT_EQ(again.tally().counts().ups(), 1);
  EXPECT_EQ(VotesInDatabase("idea1", "ana"), 1);

  // The voter sees their own vote on the tally; the other idea is untouched.
  v1::Tally tally;
  ASSERT_TRUE(GetTally(ana, "fr", "idea1", &tally).ok());
  EXPECT_EQ(tally.counts().ups(), 1);
  EXPECT_EQ(tally.caller_vote().choice(), common::VOTE_CHOICE_UP);
  ASSERT_TRUE(GetTally(ana, "fr", "idea2", &tally).ok());
  EXPECT_EQ(tally.counts().ups(), 0);
}

TEST_F(RankingServiceTest, YoungAccountFromIdentitysStreamVotesAtWeightZero) {
  // Without the member_registered event, a token of trust level 2 would
  // count at once: the hold proves identity's event reached the service.
  v1::CastVoteResponse cast;
  const grpc::Status status =
      CastVote(Token("fr", "newbie"), PostName("fr", "idea1"),
               common::VOTE_CHOICE_UP, 0, &cast);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(cast.vote().status(), v1::Vote::STATUS_HELD);
  EXPECT_EQ(cast.tally().counts().ups(), 0);
  EXPECT_EQ(cast.tally().held_count(), 1);
}

TEST_F(RankingServiceTest, RefusalsCarryTheirCodeFieldAndReason) {
  const std::string idea1 = PostName("fr", "idea1");
  EXPECT_EQ(CastVote("", idea1, common::VOTE_CHOICE_UP).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CastVote("not-a-token", idea1, common::VOTE_CHOICE_UP).error_code(),
            StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CastVote(Token("it", "giulia"), idea1, common::VOTE_CHOICE_UP)
                .error_code(),
            StatusCode::PERMISSION_DENIED)
      << "a member of it voted on a post of fr";

  const std::string ana = Token("fr", "ana");
  grpc::Status bad = CastVote(ana, "posts/idea1", common::VOTE_CHOICE_UP);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(bad.error_message(), "target"))
      << bad.error_message();
  bad = CastVote(ana, idea1, common::VOTE_CHOICE_STARS, 9);
  EXPECT_EQ(bad.error_code(), StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StartsWith(bad.error_message(), "stars"))
      << bad.error_message();

  const grpc::Status self =
      CastVote(Token("fr", "author"), idea1, common::VOTE_CHOICE_UP);
  ASSERT_EQ(self.error_code(), StatusCode::FAILED_PRECONDITION)
      << self.error_message();
  ASSERT_FALSE(self.error_details().empty())
      << "no grpc-status-details-bin on the wire";
  google::rpc::Status details;
  ASSERT_TRUE(details.ParseFromString(self.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(StatusCode::FAILED_PRECONDITION));
  EXPECT_EQ(details.message(), self.error_message());
  ASSERT_EQ(details.details_size(), 1);
  google::rpc::ErrorInfo info;
  ASSERT_TRUE(details.details(0).UnpackTo(&info))
      << details.details(0).type_url();
  EXPECT_EQ(info.reason(), "SELF_VOTE");
  EXPECT_EQ(info.domain(), "agora.community");

  // None of these left a vote behind.
  v1::Tally tally;
  ASSERT_TRUE(GetTally("", "fr", "idea1", &tally).ok());
  EXPECT_EQ(tally.counts().ups(), 0);
  EXPECT_EQ(tally.counts().downs(), 0);
}

TEST_F(RankingServiceTest, AnonymousReadersSeeTheTallyAndTheTopBoard) {
  ASSERT_TRUE(CastVote(Token("fr", "ana"), PostName("fr", "idea1"),
                       common::VOTE_CHOICE_UP)
                  .ok());
  ASSERT_TRUE(CastVote(Token("fr", "ben"), PostName("fr", "idea1"),
                       common::VOTE_CHOICE_UP)
                  .ok());
  v1::Tally tally;
  const grpc::Status status = GetTally("", "fr", "idea1", &tally);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(tally.name(), PostName("fr", "idea1") + "/tally");
  EXPECT_EQ(tally.counts().ups(), 2);
  EXPECT_EQ(tally.score(), 2);
  EXPECT_FALSE(tally.has_caller_vote()) << "an anonymous caller has no vote";

  // The board may answer `repairing` while the service builds fr's first
  // generation in Redis; then the voted idea leads it.
  std::optional<v1::ListLeaderboardResponse> board;
  ASSERT_TRUE(Eventually([&] {
    board = TopBoard();
    return board.has_value() && !board->repairing() &&
           board->entries_size() > 0 &&
           board->entries(0).post().name() == PostName("fr", "idea1");
  })) << (board.has_value() ? board->DebugString() : "no board");
  EXPECT_EQ(board->entries(0).rank(), 1);
  EXPECT_DOUBLE_EQ(board->entries(0).score(), 2.0);
  EXPECT_EQ(board->entries(0).post().kind(), common::CONTENT_KIND_IDEA);
}

TEST_F(RankingServiceTest, PostHiddenOnContentsStreamLeavesBoardAndTally) {
  ASSERT_TRUE(CastVote(Token("fr", "ana"), PostName("fr", "idea1"),
                       common::VOTE_CHOICE_UP)
                  .ok());
  ASSERT_TRUE(Eventually([&] { return TopEntry("idea1").has_value(); }))
      << "idea1 never on the TOP board";

  HidePost("fr", "idea1", "author");
  grpc::Status tally;
  ASSERT_TRUE(Eventually(
      [&] {
        tally = GetTally("", "fr", "idea1");
        return tally.error_code() == StatusCode::NOT_FOUND;
      },
      absl::Seconds(10)))
      << "tally still answers: " << tally.error_message();
  ASSERT_TRUE(Eventually(
      [&] {
        std::optional<v1::ListLeaderboardResponse> board = TopBoard();
        if (!board.has_value() || board->repairing()) return false;
        for (const v1::LeaderboardEntry& entry : board->entries()) {
          if (entry.post().name() == PostName("fr", "idea1")) return false;
        }
        return true;
      },
      absl::Seconds(10)))
      << "idea1 still on the TOP board after post_hidden";
  // A hidden post takes no votes; the other idea still does.
  EXPECT_EQ(CastVote(Token("fr", "ben"), PostName("fr", "idea1"),
                     common::VOTE_CHOICE_UP)
                .error_code(),
            StatusCode::FAILED_PRECONDITION);
  EXPECT_TRUE(CastVote(Token("fr", "ben"), PostName("fr", "idea2"),
                       common::VOTE_CHOICE_UP)
                  .ok());
}

TEST_F(RankingServiceTest, TenantAdminRebuildsTheBoardsAndMembersCannot) {
  ASSERT_TRUE(CastVote(Token("fr", "ana"), PostName("fr", "idea1"),
                       common::VOTE_CHOICE_UP)
                  .ok());
  v1::Rebuild rebuild;
  EXPECT_EQ(Rebuild(Token("fr", "ana"), "fr", &rebuild).error_code(),
            StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      Rebuild(Token("it", "admin", {auth::kRoleTenantAdmin}), "fr", &rebuild)
          .error_code(),
      StatusCode::PERMISSION_DENIED)
      << "an admin of it rebuilt fr";
  EXPECT_EQ(Rebuild("", "fr", &rebuild).error_code(),
            StatusCode::UNAUTHENTICATED);

  const std::string admin = AdminToken();
  grpc::Status status = Rebuild(admin, "fr", &rebuild);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_TRUE(absl::StartsWith(rebuild.name(), "tenants/fr/rebuilds/"))
      << rebuild.name();
  EXPECT_NE(rebuild.state(), v1::Rebuild::STATE_UNSPECIFIED);
  EXPECT_EQ(
      GetRebuild(Token("fr", "ana"), rebuild.name(), &rebuild).error_code(),
      StatusCode::PERMISSION_DENIED);

  v1::Rebuild progress;
  ASSERT_TRUE(Eventually([&] {
    status = GetRebuild(admin, rebuild.name(), &progress);
    return status.ok() && progress.state() != v1::Rebuild::STATE_RUNNING;
  })) << status.error_message()
      << " " << progress.DebugString();
  EXPECT_EQ(progress.state(), v1::Rebuild::STATE_SUCCEEDED)
      << progress.error_message();
  EXPECT_EQ(progress.progress_percent(), 100);
  EXPECT_TRUE(progress.has_end_time());

  // The rebuilt generation serves the vote.
  ASSERT_TRUE(Eventually([&] { return TopEntry("idea1").has_value(); }));
  EXPECT_DOUBLE_EQ(TopEntry("idea1")->score(), 1.0);
  v1::Tally tally;
  ASSERT_TRUE(GetTally("", "fr", "idea1", &tally).ok());
  EXPECT_EQ(tally.counts().ups(), 1);
}

TEST_F(RankingServiceTest, OperatorRebuildCommandRebuildsTheTenantAndExits) {
  ASSERT_TRUE(CastVote(Token("fr", "ana"), PostName("fr", "idea1"),
                       common::VOTE_CHOICE_UP)
                  .ok());
  // Seed waited for the service's own first rebuild: the operator's would
  // be refused while that one runs.
  ASSERT_TRUE(Eventually([&] { return TopEntry("idea1").has_value(); }));

  const CommandOutcome rebuilt = RunOperatorCommand({"rebuild", "--tenant=fr"});
  ASSERT_EQ(rebuilt.exit_code, 0)
      << "stdout: " << rebuilt.out << "\nstderr: " << rebuilt.err;
  std::string summary;
  for (absl::string_view line : absl::StrSplit(rebuilt.out, '\n')) {
    if (absl::StartsWith(line, "rebuilt ")) summary = std::string(line);
  }
  EXPECT_TRUE(absl::StartsWith(summary, "rebuilt tenants/fr: 1 votes, "))
      << rebuilt.out;
  EXPECT_TRUE(absl::StrContains(summary, " tallies, ")) << summary;

  // The running service reads the generation another process swapped in.
  ASSERT_TRUE(Eventually([&] { return TopEntry("idea1").has_value(); }));
  EXPECT_DOUBLE_EQ(TopEntry("idea1")->score(), 1.0);
  v1::Tally tally;
  ASSERT_TRUE(GetTally("", "fr", "idea1", &tally).ok());
  EXPECT_EQ(tally.counts().ups(), 1);

  // Without a tenant the command refuses to guess.
  const CommandOutcome usage = RunOperatorCommand({"rebuild"});
  EXPECT_EQ(usage.exit_code, 2) << usage.err;
  EXPECT_TRUE(absl::StrContains(usage.err, "--tenant")) << usage.err;
}

TEST_F(RankingServiceTest, SigtermReportsNotServingThenExitsZero) {
  ASSERT_TRUE(process_->Signal(SIGTERM));
  // The health service turns NOT_SERVING before the drain ends, so load
  // balancers stop sending calls while the in-flight ones finish.
  EXPECT_TRUE(Eventually(
      [&] { return testing::HealthOf(channel_) == HealthStatus::NOT_SERVING; },
      absl::Seconds(1)))
      << "never NOT_SERVING during the drain";
  // The server's shutdown waits for its clients to close their connections
  // after its GOAWAY. An idle gRPC client only reads it at its next backup
  // poll (every 5 s), so this client goes away as a balancer would.
  stub_.reset();
  channel_.reset();
  EXPECT_EQ(process_->WaitExit(absl::Seconds(10)), 0);
}

}  // namespace
}  // namespace agora::ranking
