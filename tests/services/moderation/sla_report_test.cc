// The SLA report on a hand-built data set, inserted in SQL with known times
// so that every figure (down to the percentiles) is known exactly.
#include "services/moderation/domain/sla_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/time_util.h"
#include "libs/server/metrics.h"
#include "tests/services/moderation/moderation_fixture.h"
#include "tests/services/moderation/moderation_test_util.h"

namespace agora::moderation {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::HasSubstr;

// 2030-01-01T00:00:00Z: the report's "now".
const absl::Time kNow = absl::FromUnixSeconds(1893456000);

std::string At(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E6SZ", time, absl::UTCTimeZone());
}

int64_t Micros(const google::protobuf::Duration& duration) {
  return TimeUtil::DurationToMicroseconds(duration);
}

constexpr int kOpen = v1::QueueItem::STATE_OPEN;
constexpr int kClaimed = v1::QueueItem::STATE_CLAIMED;
constexpr int kDecided = v1::QueueItem::STATE_DECIDED;

class SlaReportTest : public ModerationTest {
 protected:
  void SetUp() override {
    ModerationTest::SetUp();
    context().now = [] { return kNow; };
    connection_ = std::make_unique<pqxx::connection>(database_url());
  }

  std::string Insert(const std::string& sql) {
    pqxx::work tx(*connection_);
    const std::string id = tx.exec1(sql)[0].as<std::string>();
    tx.commit();
    return id;
  }

  std::string Screening(const std::string& tenant, int verdict,
                        absl::Time time) {
    return Insert(absl::StrCat(
        "INSERT INTO screenings (tenant, id, target_name, author, verdict,"
        " risk_score, screening, create_time) VALUES ('",
        tenant, "', gen_random_uuid(), 'tenants/", tenant,
        "/posts/p', 'tenants/", tenant, "/members/a', ", verdict, ", 0, '', '",
        At(time), "') RETURNING id"));
  }

  // An item queued at `created`, due `due_after` later, closed `decided_after`
  // later (a negative value: not closed).
  std::string Item(const std::string& tenant, const std::string& space,
                   v1::QueueSource source, int state, absl::Time created,
                   absl::Duration due_after, absl::Duration decided_after,
                   const std::string& screening_id = "") {
    const std::string close =
        decided_after < absl::ZeroDuration()
            ? "NULL"
            : absl::StrCat("'", At(created + decided_after), "'");
    return Insert(absl::StrCat(
        "INSERT INTO queue_items (tenant, id, target_name, target_kind, space,"
        " author, source, state, due_time, details, create_time, close_time,"
        " screening_id) VALUES ('",
        tenant, "', gen_random_uuid(), 'tenants/", tenant,
        "/posts/' || gen_random_uuid(), 1, '", space, "', 'tenants/", tenant,
        "/members/a', ", static_cast<int>(source), ", ", state, ", '",
        At(created + due_after), "', '', '", At(created), "', ", close, ", ",
        screening_id.empty() ? "NULL" : absl::StrCat("'", screening_id, "'"),
        ") RETURNING id"));
  }

  void Decision(const std::string& tenant, const std::string& item_id,
                v1::DecisionAction action, absl::Time time) {
    Insert(absl::StrCat(
        "INSERT INTO decisions (tenant, id, queue_item_id, target_name, action,"
        " moderator, decision, create_time) VALUES ('",
        tenant, "', gen_random_uuid(), '", item_id, "', 'tenants/", tenant,
        "/posts/p', ", static_cast<int>(action), ", 'tenants/", tenant,
        "/members/mod', '', '", At(time), "') RETURNING id"));
  }

  void Flag(const std::string& tenant, absl::Time time) {
    Insert(absl::StrCat(
        "INSERT INTO flags (tenant, id, target_name, target_kind, reporter,"
        " reason, weight, state, create_time) VALUES ('",
        tenant, "', gen_random_uuid(), 'tenants/", tenant,
        "/posts/' || gen_random_uuid(), 1, 'tenants/", tenant,
        "/members/r', 1, 1.0, 1, '", At(time), "') RETURNING id"));
  }

  void Appeal(const std::string& tenant, int state, absl::Time decided,
              const std::string& queue_item_id = "") {
    Insert(absl::StrCat(
        "INSERT INTO appeals (tenant, id, decision_id, target_name,"
        " target_kind, appellant, statement, state, first_moderator,"
        " queue_item_id, create_time, decide_time) VALUES ('",
        tenant, "', gen_random_uuid(), gen_random_uuid(), 'tenants/", tenant,
        "/posts/p', 1, 'tenants/", tenant, "/members/a', 'please', ", state,
        ", 'tenants/", tenant, "/members/mod', ",
        queue_item_id.empty() ? "NULL" : absl::StrCat("'", queue_item_id, "'"),
        ", '", At(decided - absl::Hours(1)), "', ",
        state == v1::Appeal::STATE_OPEN ? "NULL"
                                        : absl::StrCat("'", At(decided), "'"),
        ") RETURNING id"));
  }

  // The data set the tests read; see the expected figures in each test.
  void BuildDataSet() {
    const absl::Time day_ago = kNow - absl::Hours(24);
    const absl::Duration due = absl::Seconds(200);
    // Screenings in the window: 5 PUBLISH, 2 PUBLISH_THEN_REVIEW, 2 HOLD,
    // 1 REJECT; one older PUBLISH outside it.
    for (int i = 0; i < 5; ++i) {
      Screening("fr", common::MODERATION_VERDICT_PUBLISH, day_ago);
    }
    for (int i = 0; i < 2; ++i) {
      Screening("fr", common::MODERATION_VERDICT_PUBLISH_THEN_REVIEW, day_ago);
    }
    const std::string held_rejected =
        Screening("fr", common::MODERATION_VERDICT_HOLD, day_ago);
    const std::string held_approved =
        Screening("fr", common::MODERATION_VERDICT_HOLD, day_ago);
    Screening("fr", common::MODERATION_VERDICT_REJECT, day_ago);
    Screening("fr", common::MODERATION_VERDICT_PUBLISH,
              kNow - absl::Hours(8 * 24));

    // Decided in the window after 60, 120, 180, 240, 300 s; due after 200 s.
    const std::string d1 =
        Item("fr", "tenants/fr/spaces/cartes", v1::QUEUE_SOURCE_HELD, kDecided,
             day_ago, due, absl::Seconds(60), held_rejected);
    Decision("fr", d1, v1::DECISION_ACTION_REJECT, day_ago + absl::Seconds(60));
    Item("fr", "tenants/fr/spaces/cartes", v1::QUEUE_SOURCE_POST_REVIEW,
         kDecided, day_ago, due, absl::Seconds(120));
    Item("fr", "tenants/fr/spaces/cartes", v1::QUEUE_SOURCE_FLAGGED, kDecided,
         day_ago, due, absl::Seconds(180));
    Item("fr", "tenants/fr/spaces/prets", v1::QUEUE_SOURCE_POST_REVIEW,
         kDecided, day_ago, due, absl::Seconds(240));
    const std::string d5 =
        Item("fr", "tenants/fr/spaces/prets", v1::QUEUE_SOURCE_HELD, kDecided,
             day_ago, due, absl::Seconds(300), held_approved);
    Decision("fr", d5, v1::DECISION_ACTION_APPROVE,
             day_ago + absl::Seconds(300));
    // Decided before the window.
    Item("fr", "tenants/fr/spaces/cartes", v1::QUEUE_SOURCE_HELD, kDecided,
         kNow - absl::Hours(10 * 24), due, absl::Seconds(10000));

    // Open now: HELD 30 min old and overdue; FLAGGED 5 min old; a claimed
    // POST_REVIEW 2 h old and overdue; a withdrawn one that does not count.
    Item("fr", "tenants/fr/spaces/cartes", v1::QUEUE_SOURCE_HELD, kOpen,
         kNow - absl::Minutes(30), absl::Minutes(15), absl::Seconds(-1));
    Item("fr", "tenants/fr/spaces/prets", v1::QUEUE_SOURCE_FLAGGED, kOpen,
         kNow - absl::Minutes(5), absl::Minutes(15), absl::Seconds(-1));
    Item("fr", "tenants/fr/spaces/prets", v1::QUEUE_SOURCE_POST_REVIEW,
         kClaimed, kNow - absl::Hours(2), absl::Minutes(15), absl::Seconds(-1));
    Item("fr", "", v1::QUEUE_SOURCE_HELD, v1::QueueItem::STATE_WITHDRAWN,
         kNow - absl::Hours(3), absl::Minutes(15), absl::Minutes(1));

    // Flags: 3 in the window, 1 before.
    for (int i = 0; i < 3; ++i) Flag("fr", kNow - absl::Hours(i + 1));
    Flag("fr", kNow - absl::Hours(9 * 24));
    // Appeals: 2 upheld and 1 overturned in the window; 1 open; 1 overturned
    // before the window.
    Appeal("fr", v1::Appeal::STATE_UPHELD, kNow - absl::Hours(1));
    Appeal("fr", v1::Appeal::STATE_UPHELD, kNow - absl::Hours(2));
    Appeal("fr", v1::Appeal::STATE_OVERTURNED, kNow - absl::Hours(3));
    Appeal("fr", v1::Appeal::STATE_OPEN, kNow);
    Appeal("fr", v1::Appeal::STATE_OVERTURNED, kNow - absl::Hours(9 * 24));

    // Another tenant's activity, never counted for fr.
    Screening("it", common::MODERATION_VERDICT_REJECT, day_ago);
    Item("it", "", v1::QUEUE_SOURCE_HELD, kOpen, kNow - absl::Hours(100),
         absl::Minutes(15), absl::Seconds(-1));
    Item("it", "", v1::QUEUE_SOURCE_HELD, kDecided, day_ago, due,
         absl::Seconds(5000));
    Flag("it", kNow - absl::Hours(1));
    Appeal("it", v1::Appeal::STATE_OVERTURNED, kNow - absl::Hours(1));
  }

  absl::StatusOr<v1::SlaReport> Report(const std::string& space = "") {
    v1::GetSlaReportRequest request;
    request.set_name("tenants/fr/slaReport");
    request.set_space(space);
    return GetSlaReport(context(), Moderator("fr", "mod-1"), request);
  }

  std::unique_ptr<pqxx::connection> connection_;
};

TEST_F(SlaReportTest, FiguresOfTheLastSevenDays) {
  BuildDataSet();
  absl::StatusOr<v1::SlaReport> report = Report();
  ASSERT_TRUE(report.ok()) << report.status();

  EXPECT_EQ(report->name(), "tenants/fr/slaReport");
  EXPECT_EQ(TimeUtil::TimestampToSeconds(report->window().end_time()),
            absl::ToUnixSeconds(kNow));
  EXPECT_EQ(TimeUtil::TimestampToSeconds(report->window().start_time()),
            absl::ToUnixSeconds(kNow - absl::Hours(7 * 24)));
  EXPECT_EQ(TimeUtil::DurationToSeconds(report->review_sla()), 900);

  EXPECT_EQ(report->queue_size(), 3);
  ASSERT_EQ(report->queue_size_by_source_size(), 3);
  EXPECT_EQ(report->queue_size_by_source(0).source(), v1::QUEUE_SOURCE_HELD);
  EXPECT_EQ(report->queue_size_by_source(1).source(),
            v1::QUEUE_SOURCE_POST_REVIEW);
  EXPECT_EQ(report->queue_size_by_source(2).source(), v1::QUEUE_SOURCE_FLAGGED);
  for (const v1::QueueSourceCount& count : report->queue_size_by_source()) {
    EXPECT_EQ(count.count(), 1);
  }
  EXPECT_EQ(TimeUtil::DurationToSeconds(report->oldest_item_age()), 2 * 3600);
  EXPECT_EQ(report->overdue_items(), 2);

  // 60, 120, 180, 240, 300 s: percentile_cont interpolates.
  const v1::DurationPercentiles& decision = report->time_to_decision();
  EXPECT_EQ(decision.count(), 5);
  EXPECT_EQ(Micros(decision.p50()), 180'000'000);
  EXPECT_EQ(Micros(decision.p95()), 288'000'000);
  EXPECT_EQ(Micros(decision.p99()), 297'600'000);

  // 7 instant publications (0 s) and the approved held post (300 s).
  const v1::DurationPercentiles& publish = report->time_to_publish();
  EXPECT_EQ(publish.count(), 8);
  EXPECT_EQ(Micros(publish.p50()), 0);
  EXPECT_EQ(Micros(publish.p95()), 195'000'000);
  EXPECT_EQ(Micros(publish.p99()), 279'000'000);

  // Decided late: the 240 s and 300 s items; open past due: 2.
  EXPECT_EQ(report->sla_breaches(), 4);
  EXPECT_EQ(report->screened(), 10);
  EXPECT_DOUBLE_EQ(report->instant_publish_share(), 0.7);
  EXPECT_DOUBLE_EQ(report->held_share(), 0.2);
  EXPECT_DOUBLE_EQ(report->rejected_share(), 0.1);
  EXPECT_EQ(report->flags(), 3);
  EXPECT_EQ(report->appeals_decided(), 3);
  EXPECT_DOUBLE_EQ(report->appeal_overturn_share(), 1.0 / 3);
  EXPECT_EQ(TimeUtil::TimestampToSeconds(report->compute_time()),
            absl::ToUnixSeconds(kNow));
}

TEST_F(SlaReportTest, WindowSelectsTheTimeBasedFiguresOnly) {
  BuildDataSet();
  v1::GetSlaReportRequest request;
  request.set_name("tenants/fr/slaReport");
  // The first 250 s after the decided items were queued.
  const absl::Time start = kNow - absl::Hours(24) - absl::Seconds(1);
  *request.mutable_window()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start));
  *request.mutable_window()->mutable_end_time() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(start) + 251);
  absl::StatusOr<v1::SlaReport> report =
      GetSlaReport(context(), Moderator("fr", "mod-1"), request);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->time_to_decision().count(), 4);
  EXPECT_EQ(Micros(report->time_to_decision().p50()), 150'000'000);
  EXPECT_EQ(report->sla_breaches(), 1) << "only the 240 s item";
  EXPECT_EQ(report->queue_size(), 3) << "the queue is always current";
  EXPECT_EQ(report->flags(), 0);
  EXPECT_EQ(report->appeals_decided(), 0);
  EXPECT_EQ(report->screened(), 10);
}

TEST_F(SlaReportTest, SpaceNarrowsQueueDecisionsAndHeldPublications) {
  BuildDataSet();
  absl::StatusOr<v1::SlaReport> cartes = Report("tenants/fr/spaces/cartes");
  ASSERT_TRUE(cartes.ok()) << cartes.status();
  EXPECT_EQ(cartes->queue_size(), 1);
  EXPECT_EQ(cartes->overdue_items(), 1);
  EXPECT_EQ(TimeUtil::DurationToSeconds(cartes->oldest_item_age()), 30 * 60);
  EXPECT_EQ(cartes->time_to_decision().count(), 3);
  EXPECT_EQ(Micros(cartes->time_to_decision().p50()), 120'000'000);
  EXPECT_EQ(cartes->sla_breaches(), 1);
  EXPECT_EQ(cartes->time_to_publish().count(), 0);

  absl::StatusOr<v1::SlaReport> prets = Report("tenants/fr/spaces/prets");
  ASSERT_TRUE(prets.ok());
  EXPECT_EQ(prets->queue_size(), 2);
  EXPECT_EQ(prets->time_to_decision().count(), 2);
  EXPECT_EQ(prets->sla_breaches(), 3);
  ASSERT_EQ(prets->time_to_publish().count(), 1);
  EXPECT_EQ(TimeUtil::DurationToSeconds(prets->time_to_publish().p50()), 300);
  EXPECT_EQ(prets->screened(), 10) << "screenings have no space";
}

TEST_F(SlaReportTest, EmptyTenantHasZeroFigures) {
  absl::StatusOr<v1::SlaReport> report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->queue_size(), 0);
  EXPECT_EQ(report->queue_size_by_source_size(), 0);
  EXPECT_EQ(Micros(report->oldest_item_age()), 0);
  EXPECT_EQ(report->time_to_decision().count(), 0);
  EXPECT_FALSE(report->time_to_decision().has_p50());
  EXPECT_EQ(report->screened(), 0);
  EXPECT_EQ(report->instant_publish_share(), 0);
  EXPECT_EQ(report->appeal_overturn_share(), 0);
}

TEST_F(SlaReportTest, BadRequestsAndCallersAreRefused) {
  v1::GetSlaReportRequest request;
  request.set_name("tenants/fr/slaReport");
  *request.mutable_window()->mutable_start_time() =
      TimeUtil::SecondsToTimestamp(absl::ToUnixSeconds(kNow) - 367 * 86400);
  EXPECT_EQ(
      GetSlaReport(context(), Moderator("fr", "m"), request).status().message(),
      "window: at most 366 days");
  *request.mutable_window()->mutable_end_time() = request.window().start_time();
  EXPECT_THAT(std::string(GetSlaReport(context(), Moderator("fr", "m"), request)
                              .status()
                              .message()),
              HasSubstr("window: start_time must be before end_time"));
  request.clear_window();
  request.set_space("tenants/it/spaces/carte");
  EXPECT_THAT(std::string(GetSlaReport(context(), Moderator("fr", "m"), request)
                              .status()
                              .message()),
              HasSubstr("space"));
  request.clear_space();
  request.set_name("tenants/fr/slaReports");
  EXPECT_THAT(std::string(GetSlaReport(context(), Moderator("fr", "m"), request)
                              .status()
                              .message()),
              HasSubstr("name"));

  request.set_name("tenants/fr/slaReport");
  EXPECT_EQ(
      GetSlaReport(context(), Member("fr", "m1"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      GetSlaReport(context(), TenantAdmin("it", "a"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(GetSlaReport(context(), TenantAdmin("fr", "a"), request).ok());
}

TEST_F(SlaReportTest, CurrentQueueFiguresOfEveryTenant) {
  BuildDataSet();
  absl::StatusOr<std::map<std::string, QueueFigures>> figures =
      CurrentQueueFigures(context());
  ASSERT_TRUE(figures.ok()) << figures.status();
  ASSERT_EQ(figures->size(), 2u);
  EXPECT_EQ(figures->at("fr").queue_size, 3);
  EXPECT_EQ(figures->at("fr").overdue_items, 2);
  EXPECT_EQ(figures->at("fr").oldest_item_age, absl::Hours(2));
  EXPECT_EQ(figures->at("it").queue_size, 1);
  EXPECT_EQ(figures->at("it").oldest_item_age, absl::Hours(100));
}

TEST_F(SlaReportTest, PrometheusGaugesPerTenant) {
  BuildDataSet();
  server::MetricsRegistry registry;
  QueueGauges gauges(context(), registry);
  ASSERT_TRUE(gauges.Refresh().ok());
  std::string text = registry.Render();
  EXPECT_THAT(text,
              HasSubstr("agora_moderation_queue_size{tenant=\"fr\"} 3\n"));
  EXPECT_THAT(text,
              HasSubstr("agora_moderation_queue_size{tenant=\"it\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("agora_moderation_oldest_item_age_seconds{"
                              "tenant=\"fr\"} 7200\n"));
  EXPECT_THAT(text,
              HasSubstr("agora_moderation_overdue_items{tenant=\"fr\"} 2\n"));

  // The Italian queue empties: its series reads 0.
  pqxx::work tx(*connection_);
  tx.exec("UPDATE queue_items SET state = 4 WHERE tenant = 'it'");
  tx.commit();
  ASSERT_TRUE(gauges.Refresh().ok());
  EXPECT_THAT(registry.Render(),
              HasSubstr("agora_moderation_queue_size{tenant=\"it\"} 0\n"));

  // The thread refreshes at once when started, and stops.
  server::MetricsRegistry threaded;
  QueueGauges background(context(), threaded, absl::Milliseconds(20));
  background.Start();
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (!absl::StrContains(threaded.Render(), "{tenant=\"fr\"} 3") &&
         absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_THAT(threaded.Render(),
              HasSubstr("agora_moderation_queue_size{tenant=\"fr\"} 3\n"));
  background.Stop();
}

}  // namespace
}  // namespace agora::moderation
