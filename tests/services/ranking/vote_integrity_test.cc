// Vote-fraud defence on real PostgreSQL and Redis: serial voting reversed
// and announced, held votes of young accounts released once they age, and
// the integrity report's figures, serial cases and voting rings.
#include "services/ranking/domain/vote_integrity.h"

#include "libs/events/event_record.h"
#include "tests/services/ranking/ranking_fixture.h"

namespace agora::ranking {
namespace {

using common::v1::VOTE_CHOICE_UP;

class VoteIntegrityTest : public RankingTest {
 protected:
  void SetUp() override {
    RankingTest::SetUp();
    AnnounceMember("fr", "author");
    AnnounceMember("fr", "ana");
    AnnounceMember("fr", "ben");
  }

  // Feeds every vote event of the outbox not fed yet to the detector, as
  // the service's own-stream consumer does.
  void RunDetector() {
    std::vector<std::string> payloads;
    ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                  payloads.clear();
                  for (const pqxx::row& row :
                       tx.exec_params("SELECT payload FROM outbox WHERE id > $1"
                                      " ORDER BY id",
                                      detected_up_to_)) {
                    payloads.push_back(pqxx::binarystring(row[0]).str());
                  }
                  detected_up_to_ =
                      tx.exec1("SELECT coalesce(max(id), 0) FROM outbox")[0]
                          .as<int64_t>();
                  return absl::OkStatus();
                }).ok());
    for (const std::string& payload : payloads) {
      events::v1::Event event;
      ASSERT_TRUE(event.ParseFromString(payload));
      ASSERT_TRUE(pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
                    return DetectSerialVoting(*context_, tx, event);
                  }).ok());
    }
    ASSERT_TRUE(RepairPendingPosts(*context_, 1000).ok());
  }

  v1::VoteIntegrityReport Report() {
    v1::GetVoteIntegrityReportRequest request;
    request.set_name("tenants/fr/voteIntegrityReport");
    absl::StatusOr<v1::VoteIntegrityReport> report = GetVoteIntegrityReport(
        *context_, WithRole(Member("fr", "mod"), auth::kRoleModerator),
        request);
    EXPECT_TRUE(report.ok()) << report.status();
    return report.ok() ? *report : v1::VoteIntegrityReport{};
  }

  // The ring test votes more than the default 30 a minute per member.
  void VoteSettingsRaise() {
    Exec(
        "INSERT INTO settings (tenant, kind, body) VALUES ('fr',"
        " 'vote_settings', $1)",
        pqxx::binarystring([] {
          v1::VoteSettings settings = DefaultVoteSettings();
          settings.set_max_votes_per_minute(600);
          return settings.SerializeAsString();
        }()));
  }

  int64_t detected_up_to_ = 0;
};

TEST_F(VoteIntegrityTest, SerialVotingIsReversedAndAnnounced) {
  for (int i = 0; i < 10; ++i) {
    Publish({.id = absl::StrCat("p", i)});
  }
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", "ana"), "fr", absl::StrCat("p", i), VOTE_CHOICE_UP)
            .ok());
    now_ += absl::Minutes(2);
    RunDetector();
  }
  EXPECT_EQ(Query("SELECT count(*) FROM votes WHERE voter = 'ana'"
                  " AND status = 3"),
            "10");
  EXPECT_EQ(TallyInDatabase("fr", "p0").all.ups, 0);
  EXPECT_EQ(Query("SELECT count(*) FROM outbox"
                  " WHERE event_type = 'votes_reversed'"),
            "1");
  // Redis follows: the posts' tallies and top scores dropped.
  v1::GetTallyRequest request;
  request.set_name("tenants/fr/posts/p3/tally");
  absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, request);
  ASSERT_TRUE(tally.ok());
  EXPECT_EQ(tally->counts().ups(), 0);
  const v1::VoteIntegrityReport report = Report();
  EXPECT_EQ(report.votes_reversed(), 10);
  ASSERT_EQ(report.serial_voting_cases_size(), 1);
  EXPECT_EQ(report.serial_voting_cases(0).voter(), "tenants/fr/members/ana");
  EXPECT_EQ(report.serial_voting_cases(0).author(),
            "tenants/fr/members/author");
  EXPECT_EQ(report.serial_voting_cases(0).vote_count(), 10);
  EXPECT_TRUE(report.serial_voting_cases(0).reversed());
}

TEST_F(VoteIntegrityTest, VotesBelowTheThresholdOrSpreadOutStand) {
  for (int i = 0; i < 12; ++i) Publish({.id = absl::StrCat("p", i)});
  // Nine in an hour: under the default threshold of ten.
  for (int i = 0; i < 9; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", "ana"), "fr", absl::StrCat("p", i), VOTE_CHOICE_UP)
            .ok());
    RunDetector();
  }
  // Two more, but well after the window: not a burst.
  now_ += absl::Hours(3);
  for (int i = 9; i < 11; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", "ana"), "fr", absl::StrCat("p", i), VOTE_CHOICE_UP)
            .ok());
    RunDetector();
  }
  EXPECT_EQ(Query("SELECT count(*) FROM votes WHERE status = 3"), "0");
  EXPECT_EQ(Report().serial_voting_cases_size(), 0);
}

TEST_F(VoteIntegrityTest, HeldVotesCountOnceTheAccountIsOldEnough) {
  Publish({.id = "idea1"});
  AnnounceMember("fr", "newbie", absl::Hours(2));
  absl::StatusOr<v1::CastVoteResponse> cast =
      Cast(Member("fr", "newbie"), "fr", "idea1", VOTE_CHOICE_UP);
  ASSERT_TRUE(cast.ok());
  EXPECT_EQ(cast->vote().status(), v1::Vote::STATUS_HELD);
  ASSERT_EQ(ReleaseHeldVotes(*context_).value(), 0);  // still too young
  now_ += absl::Hours(23);
  ASSERT_EQ(ReleaseHeldVotes(*context_).value(), 1);
  ASSERT_TRUE(RepairPendingPosts(*context_, 100).ok());
  v1::GetTallyRequest request;
  request.set_name("tenants/fr/posts/idea1/tally");
  absl::StatusOr<v1::Tally> tally = GetTally(*context_, nullptr, request);
  ASSERT_TRUE(tally.ok());
  EXPECT_EQ(tally->counts().ups(), 1);
  EXPECT_EQ(tally->held_count(), 0);
  // Announced, so the author's reputation gets the points held back.
  EXPECT_EQ(Query("SELECT count(*) FROM outbox"
                  " WHERE event_type = 'vote_changed'"),
            "1");
}

TEST_F(VoteIntegrityTest, MembersVotingForEachOtherFarAboveChanceFormARing) {
  // Ten ordinary members each up-vote five others (50 votes); ana and ben
  // up-vote six posts of each other and nobody else. By chance, with 62 up
  // votes in all, two members casting 6 and receiving 6 each would share
  // 2 × 6 × 6 / 62 = 1.16 mutual votes: 12 is 10.3 times that.
  std::vector<std::string> members = {"ana", "ben"};
  for (int i = 0; i < 10; ++i) {
    members.push_back(absl::StrCat("m", i));
    AnnounceMember("fr", members.back());
  }
  for (const std::string& member : members) {
    for (int i = 0; i < 6; ++i) {
      Publish({.id = absl::StrCat(member, "-", i), .author = member});
    }
  }
  VoteSettingsRaise();
  for (int i = 0; i < 6; ++i) {
    ASSERT_TRUE(
        Cast(Member("fr", "ana"), "fr", absl::StrCat("ben-", i), VOTE_CHOICE_UP)
            .ok());
    ASSERT_TRUE(
        Cast(Member("fr", "ben"), "fr", absl::StrCat("ana-", i), VOTE_CHOICE_UP)
            .ok());
  }
  for (int i = 0; i < 10; ++i) {
    for (int k = 1; k <= 5; ++k) {
      const std::string other = members[2 + (i + k) % 10];
      ASSERT_TRUE(Cast(Member("fr", absl::StrCat("m", i)), "fr",
                       absl::StrCat(other, "-0"), VOTE_CHOICE_UP)
                      .ok());
    }
  }
  const v1::VoteIntegrityReport report = Report();
  ASSERT_GE(report.voting_ring_pairs_size(), 1) << report.DebugString();
  const v1::VotingRingPair& ring = report.voting_ring_pairs(0);
  EXPECT_EQ(ring.member_a(), "tenants/fr/members/ana");
  EXPECT_EQ(ring.member_b(), "tenants/fr/members/ben");
  EXPECT_EQ(ring.votes_a_to_b(), 6);
  EXPECT_EQ(ring.votes_b_to_a(), 6);
  EXPECT_NEAR(ring.expected_votes(), 72.0 / 62.0, 1e-9);
  EXPECT_NEAR(ring.ratio(), 12 / (72.0 / 62.0), 1e-9);
  EXPECT_EQ(report.votes_cast(), 62);
  // Nobody else votes far above chance.
  EXPECT_EQ(report.voting_ring_pairs_size(), 1);
}

TEST_F(VoteIntegrityTest, ReportIsForModeratorsAndBoundedToNinetyDays) {
  v1::GetVoteIntegrityReportRequest request;
  request.set_name("tenants/fr/voteIntegrityReport");
  EXPECT_EQ(GetVoteIntegrityReport(*context_, Member("fr", "ana"), request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetVoteIntegrityReport(
                *context_, WithRole(Member("it", "mod"), auth::kRoleModerator),
                request)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  *request.mutable_window()->mutable_start_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(now_ - absl::Hours(24 * 91)));
  absl::StatusOr<v1::VoteIntegrityReport> too_long = GetVoteIntegrityReport(
      *context_, WithRole(Member("fr", "mod"), auth::kRoleModerator), request);
  EXPECT_EQ(too_long.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(too_long.status().message().find("window"), std::string::npos);
}

}  // namespace
}  // namespace agora::ranking
