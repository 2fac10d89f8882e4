// A tenant's figures on the real PostgreSQL, with posts written at
// controlled times (the fixture's clock): counts per kind and state as each
// caller may see them, unanswered questions by age (automated answers do
// not count), ideas per status, and the public accountability report —
// official responses within the target, medians, accepted answers.
#include "services/content/domain/figures.h"

#include <gtest/gtest.h>

#include <map>
#include <tuple>

#include "absl/strings/match.h"
#include "services/content/domain/answers.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/ideas.h"
#include "services/content/domain/post_writes.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::Duration kDay = absl::Hours(24);

google::protobuf::Duration DurationOf(absl::Duration d) {
  return TimeUtil::MicrosecondsToDuration(absl::ToInt64Microseconds(d));
}

google::protobuf::Timestamp TimestampOf(absl::Time t) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(t));
}

class FiguresTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    // Whole seconds, so that durations compare exactly.
    now_ = absl::FromUnixSeconds(absl::ToUnixSeconds(now_));
    today_ = now_;
    MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
    MakeSpace("forum", v1::SPACE_KIND_FORUM);
    MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
    MakeCategory("idees", "cartes");
    MakeCategory("idees", "general");
    for (const char* member : {"alice", "bruno", "carla", "staff"}) {
      AnnounceMember(member, member);
    }
  }

  v1::Post AskAt(absl::Time at, const std::string& title,
                 const std::string& author = "alice",
                 const std::string& space = "questions") {
    now_ = at;
    absl::StatusOr<v1::Post> post =
        Create(Member(author), Question(SpaceName(space), title, "Texte."));
    EXPECT_TRUE(post.ok()) << post.status();
    EXPECT_EQ(post.value_or(v1::Post()).state(), common::POST_STATE_PUBLISHED);
    now_ = today_;
    return post.value_or(v1::Post());
  }

  v1::Post AnswerAt(absl::Time at, const v1::Post& question,
                    const std::string& author = "bruno") {
    now_ = at;
    absl::StatusOr<v1::Post> answer =
        Create(Member(author), Reply(common::CONTENT_KIND_ANSWER,
                                     question.name(), "Voici la réponse."));
    EXPECT_TRUE(answer.ok()) << answer.status();
    now_ = today_;
    return answer.value_or(v1::Post());
  }

  // An answer by a bot (a service account): never counts as answered.
  void AutomatedAnswerAt(absl::Time at, const v1::Post& question) {
    auth::Principal bot;
    bot.subject = "faq-bot";
    bot.tenant = tenant_;
    bot.is_service_account = true;
    bot.scopes = {"content.write"};
    now_ = at;
    absl::StatusOr<v1::Post> answer =
        Create(bot, Reply(common::CONTENT_KIND_ANSWER, question.name(),
                          "Réponse automatique : voyez la FAQ."));
    EXPECT_TRUE(answer.ok()) << answer.status();
    EXPECT_TRUE(answer.value_or(v1::Post()).answer().automated());
    now_ = today_;
  }

  void AcceptAt(absl::Time at, const v1::Post& question, const v1::Post& answer,
                const std::string& asker = "alice") {
    now_ = at;
    v1::AcceptAnswerRequest accept;
    accept.set_name(question.name());
    accept.set_answer(answer.name());
    absl::StatusOr<v1::Post> accepted =
        AcceptAnswer(*context_, Member(asker), accept);
    EXPECT_TRUE(accepted.ok()) << accepted.status();
    now_ = today_;
  }

  v1::Post IdeaAt(absl::Time at, const std::string& title,
                  const std::string& category = "general",
                  const std::string& author = "carla") {
    now_ = at;
    v1::Post post;
    post.set_kind(common::CONTENT_KIND_IDEA);
    post.set_space(SpaceName("idees"));
    post.set_category(SpaceName("idees") + "/categories/" + category);
    post.set_title(title);
    post.set_body("Une idée pour la banque.");
    absl::StatusOr<v1::Post> idea = Create(Member(author), post);
    EXPECT_TRUE(idea.ok()) << idea.status();
    now_ = today_;
    return idea.value_or(v1::Post());
  }

  void RespondAt(absl::Time at, const v1::Post& idea,
                 common::IdeaStatus status = common::IDEA_STATUS_UNDER_REVIEW) {
    now_ = at;
    v1::UpdateIdeaStatusRequest update;
    update.set_name(idea.name());
    update.set_status(status);
    update.mutable_official_response()->set_body("Merci, nous regardons.");
    absl::StatusOr<v1::Post> updated =
        UpdateIdeaStatus(*context_, Staff("staff"), update);
    EXPECT_TRUE(updated.ok()) << updated.status();
    now_ = today_;
  }

  void Delete(const v1::Post& post, const std::string& author) {
    v1::DeletePostRequest remove;
    remove.set_name(post.name());
    absl::StatusOr<v1::Post> deleted =
        DeletePost(*context_, Member(author), remove);
    EXPECT_TRUE(deleted.ok()) << deleted.status();
  }

  absl::StatusOr<v1::CountPostsResponse> Count(
      const auth::Principal* caller = nullptr,
      const std::function<void(v1::CountPostsRequest&)>& configure = {}) {
    v1::CountPostsRequest request;
    request.set_parent("tenants/" + tenant_);
    if (configure) configure(request);
    return CountPosts(*context_, caller, request);
  }

  absl::StatusOr<v1::AccountabilityReport> Report(
      const std::function<void(v1::GetAccountabilityReportRequest&)>&
          configure = {}) {
    v1::GetAccountabilityReportRequest request;
    request.set_name(
        absl::StrCat("tenants/", tenant_, "/accountabilityReport"));
    if (configure) configure(request);
    return GetAccountabilityReport(*context_, nullptr, request);
  }

  using Counts = std::map<std::pair<int, int>, int64_t>;
  static Counts CountsOf(const v1::CountPostsResponse& response) {
    Counts counts;
    for (const v1::PostCount& count : response.counts()) {
      EXPECT_GT(count.count(), 0);
      counts[{count.kind(), count.state()}] = count.count();
    }
    return counts;
  }

  absl::Time today_;
};

constexpr int kQuestion = common::CONTENT_KIND_QUESTION;
constexpr int kAnswer = common::CONTENT_KIND_ANSWER;
constexpr int kIdea = common::CONTENT_KIND_IDEA;
constexpr int kPublished = common::POST_STATE_PUBLISHED;
constexpr int kDeleted = common::POST_STATE_DELETED;

TEST_F(FiguresTest, CountsPerKindAndStateAsEachCallerMaySeeThem) {
  const v1::Post question = AskAt(today_ - kDay, "Première question");
  AskAt(today_ - kDay, "Deuxième question");
  AnswerAt(today_ - absl::Hours(2), question);
  IdeaAt(today_ - kDay, "Une idée");
  Delete(AskAt(today_ - kDay, "Question retirée"), "alice");

  const Counts published = {{{kQuestion, kPublished}, 2},
                            {{kAnswer, kPublished}, 1},
                            {{kIdea, kPublished}, 1}};
  absl::StatusOr<v1::CountPostsResponse> anonymous = Count();
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_EQ(CountsOf(*anonymous), published);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(anonymous->compute_time()),
            absl::ToUnixMicros(today_));
  // A member, even the author of the deleted post, gets published counts.
  const auth::Principal alice = Member("alice");
  EXPECT_EQ(CountsOf(*Count(&alice)), published);
  Counts every_state = published;
  every_state[{kQuestion, kDeleted}] = 1;
  const auth::Principal moderator = Moderator("mod");
  const auth::Principal admin = Admin();
  EXPECT_EQ(CountsOf(*Count(&moderator)), every_state);
  EXPECT_EQ(CountsOf(*Count(&admin)), every_state);

  EXPECT_EQ(
      CountsOf(*Count(nullptr,
                      [&](auto& r) {
                        r.set_author("tenants/" + tenant_ + "/members/bruno");
                      })),
      (Counts{{{kAnswer, kPublished}, 1}}));
  EXPECT_EQ(
      CountsOf(*Count(&alice,
                      [&](auto& r) {
                        r.set_author("tenants/" + tenant_ + "/members/me");
                      })),
      (Counts{{{kQuestion, kPublished}, 2}}));
}

TEST_F(FiguresTest, UnansweredQuestionsByAgeCountOnlyMemberAndStaffAnswers) {
  AskAt(today_ - absl::Hours(2), "Depuis deux heures");
  const v1::Post answered = AskAt(today_ - 3 * kDay, "Répondue, pas acceptée");
  AnswerAt(today_ - 2 * kDay, answered);
  const v1::Post automated =
      AskAt(today_ - 10 * kDay, "Seul le robot a répondu");
  AutomatedAnswerAt(today_ - 9 * kDay, automated);
  AskAt(today_ - 40 * kDay, "Oubliée", "bruno");
  const v1::Post accepted = AskAt(today_ - 5 * kDay, "Résolue");
  AcceptAt(today_ - 4 * kDay, accepted,
           AnswerAt(today_ - 5 * kDay + absl::Hours(1), accepted));
  // Not counted: a forum question and a deleted one.
  AskAt(today_ - 50 * kDay, "Dans le forum", "alice", "forum");
  Delete(AskAt(today_ - 60 * kDay, "Supprimée"), "alice");

  absl::StatusOr<v1::CountPostsResponse> counts = Count();
  ASSERT_TRUE(counts.ok()) << counts.status();
  const v1::UnansweredQuestions& unanswered = counts->unanswered_questions();
  EXPECT_EQ(unanswered.total(), 4);
  EXPECT_EQ(unanswered.without_answer(), 3);
  EXPECT_EQ(unanswered.under_1_day(), 1);
  EXPECT_EQ(unanswered.from_1_to_7_days(), 1);
  EXPECT_EQ(unanswered.from_7_to_30_days(), 1);
  EXPECT_EQ(unanswered.over_30_days(), 1);
  EXPECT_EQ(unanswered.oldest_age().seconds(), 40 * 86400);

  // Time passes: the ages move into older buckets.
  now_ = today_ + 2 * kDay;
  const v1::UnansweredQuestions later = Count()->unanswered_questions();
  EXPECT_EQ(later.under_1_day(), 0);
  EXPECT_EQ(later.from_1_to_7_days(), 2);
  EXPECT_EQ(later.oldest_age().seconds(), 42 * 86400);
  now_ = today_;

  const auto unanswered_in =
      [&](const std::function<void(v1::CountPostsRequest&)>& configure) {
        absl::StatusOr<v1::CountPostsResponse> response =
            Count(nullptr, configure);
        EXPECT_TRUE(response.ok()) << response.status();
        return response.value_or(v1::CountPostsResponse())
            .unanswered_questions()
            .total();
      };
  EXPECT_EQ(
      unanswered_in([&](auto& r) { r.set_space(SpaceName("questions")); }), 4);
  EXPECT_EQ(unanswered_in([&](auto& r) { r.set_space(SpaceName("forum")); }),
            0);
  EXPECT_EQ(unanswered_in([&](auto& r) {
              r.set_author("tenants/" + tenant_ + "/members/bruno");
            }),
            1);
}

TEST_F(FiguresTest, IdeasPerStatusAndCategory) {
  const v1::Post cards = IdeaAt(today_ - kDay, "Carte en bois", "cartes");
  IdeaAt(today_ - kDay, "Appli plus rapide");
  RespondAt(today_ - absl::Hours(1),
            IdeaAt(today_ - kDay, "Virements instantanés"));
  Delete(IdeaAt(today_ - kDay, "Idée retirée"), "carla");

  absl::StatusOr<v1::CountPostsResponse> counts = Count();
  ASSERT_TRUE(counts.ok()) << counts.status();
  std::map<int, int64_t> statuses;
  for (const v1::IdeaStatusCount& count : counts->idea_status_counts()) {
    statuses[count.status()] = count.count();
  }
  EXPECT_EQ(statuses,
            (std::map<int, int64_t>{{common::IDEA_STATUS_SUBMITTED, 2},
                                    {common::IDEA_STATUS_UNDER_REVIEW, 1}}));

  absl::StatusOr<v1::CountPostsResponse> in_category =
      Count(nullptr, [&](auto& r) {
        r.set_category(SpaceName("idees") + "/categories/cartes");
      });
  ASSERT_TRUE(in_category.ok()) << in_category.status();
  EXPECT_EQ(CountsOf(*in_category), (Counts{{{kIdea, kPublished}, 1}}));
  ASSERT_EQ(in_category->idea_status_counts_size(), 1);
  EXPECT_EQ(in_category->idea_status_counts(0).status(),
            common::IDEA_STATUS_SUBMITTED);
  (void)cards;
}

TEST_F(FiguresTest, CountsRefuseUnknownPlacesAndBadFilters) {
  const auto code = [&](const std::function<void(v1::CountPostsRequest&)>& c) {
    return Count(nullptr, c).status();
  };
  EXPECT_EQ(code([&](auto& r) { r.set_space(SpaceName("nowhere")); }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(code([&](auto& r) {
              r.set_category(SpaceName("idees") + "/categories/nothing");
            }).code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(code([](auto& r) { r.set_parent("tenants/nobody"); }).code(),
            absl::StatusCode::kNotFound);
  for (const auto& [field, configure] : std::vector<
           std::pair<std::string, std::function<void(v1::CountPostsRequest&)>>>{
           {"parent", [](auto& r) { r.set_parent("tenant"); }},
           {"space", [](auto& r) { r.set_space("tenants/other/spaces/x"); }},
           {"space", [](auto& r) { r.set_space("spaces/x"); }},
           {"category",
            [&](auto& r) {
              r.set_space(SpaceName("questions"));
              r.set_category(SpaceName("idees") + "/categories/cartes");
            }},
           {"author", [](auto& r) { r.set_author("members/x"); }}}) {
    const absl::Status status = code(configure);
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_TRUE(absl::StartsWith(status.message(), field)) << status;
  }
}

TEST_F(FiguresTest, AccountabilityReportMeasuresResponsesAndAnswers) {
  // Ideas: answered in 2 days, in 40 days, not yet; one before the window.
  RespondAt(today_ - 28 * kDay, IdeaAt(today_ - 30 * kDay, "Idée rapide"));
  RespondAt(today_ - 20 * kDay, IdeaAt(today_ - 60 * kDay, "Idée lente"));
  IdeaAt(today_ - 10 * kDay, "Idée sans réponse");
  RespondAt(today_ - 99 * kDay, IdeaAt(today_ - 100 * kDay, "Idée ancienne"));
  // Questions: answered in 1 h and accepted at 5 h; answered in 3 h; only a
  // bot's answer; nothing; one before the window.
  const absl::Time asked = today_ - 10 * kDay;
  const v1::Post q1 = AskAt(asked, "Q1");
  AcceptAt(asked + absl::Hours(5), q1, AnswerAt(asked + absl::Hours(1), q1));
  AnswerAt(asked + absl::Hours(3), AskAt(asked, "Q2"));
  AutomatedAnswerAt(asked + absl::Minutes(30), AskAt(asked, "Q3"));
  AskAt(asked, "Q4");
  AskAt(today_ - 200 * kDay, "Q5");

  absl::StatusOr<v1::AccountabilityReport> report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->name(), "tenants/" + tenant_ + "/accountabilityReport");
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(report->window().start_time()),
            absl::ToUnixMicros(today_ - 90 * kDay));
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(report->window().end_time()),
            absl::ToUnixMicros(today_));
  // The tenant's default target: 30 days.
  EXPECT_EQ(report->response_target().seconds(), 30 * 86400);
  EXPECT_EQ(report->ideas_published(), 3);
  EXPECT_EQ(report->ideas_responded_in_target(), 1);
  EXPECT_NEAR(report->idea_response_rate(), 1.0 / 3, 1e-9);
  EXPECT_EQ(report->median_time_to_official_response().seconds(), 21 * 86400);
  EXPECT_EQ(report->questions_published(), 4);
  EXPECT_EQ(report->median_time_to_first_answer().seconds(), 2 * 3600);
  EXPECT_EQ(report->median_time_to_accepted_answer().seconds(), 5 * 3600);
  EXPECT_NEAR(report->accepted_answer_rate(), 0.25, 1e-9);
  // Open now, whenever asked: Q2, Q3, Q4 (10 days), Q5 (200 days).
  EXPECT_EQ(report->unanswered_questions().total(), 4);
  EXPECT_EQ(report->unanswered_questions().without_answer(), 3);
  EXPECT_EQ(report->unanswered_questions().from_7_to_30_days(), 3);
  EXPECT_EQ(report->unanswered_questions().over_30_days(), 1);
  EXPECT_EQ(TimeUtil::TimestampToMicroseconds(report->compute_time()),
            absl::ToUnixMicros(today_));

  // A longer target counts the slow response too.
  report = Report(
      [](auto& r) { *r.mutable_response_target() = DurationOf(45 * kDay); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->response_target().seconds(), 45 * 86400);
  EXPECT_EQ(report->ideas_responded_in_target(), 2);

  // Another window sees other posts.
  report = Report([&](auto& r) {
    *r.mutable_window()->mutable_start_time() =
        TimestampOf(today_ - 250 * kDay);
    *r.mutable_window()->mutable_end_time() = TimestampOf(today_ - 95 * kDay);
  });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->questions_published(), 1);
  EXPECT_EQ(report->ideas_published(), 1);
  EXPECT_EQ(report->ideas_responded_in_target(), 1);
  EXPECT_EQ(report->median_time_to_official_response().seconds(), 86400);
  EXPECT_FALSE(report->has_median_time_to_first_answer());
  EXPECT_EQ(report->accepted_answer_rate(), 0);

  // An empty space has nothing to show, and no medians.
  MakeSpace("vide", v1::SPACE_KIND_QUESTIONS);
  report = Report([&](auto& r) { r.set_space(SpaceName("vide")); });
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->ideas_published(), 0);
  EXPECT_EQ(report->idea_response_rate(), 0);
  EXPECT_FALSE(report->has_median_time_to_official_response());
  EXPECT_EQ(report->unanswered_questions().total(), 0);
}

TEST_F(FiguresTest, AccountabilityTargetComesFromTheTenantsSettings) {
  RespondAt(today_ - 20 * kDay, IdeaAt(today_ - 30 * kDay, "Réponse en 10 j"));
  EXPECT_EQ(Report()->ideas_responded_in_target(), 1);  // 30 days
  v1::UpdateContentSettingsRequest update;
  update.mutable_content_settings()->set_name(
      absl::StrCat("tenants/", tenant_, "/contentSettings"));
  *update.mutable_content_settings()->mutable_official_response_target() =
      DurationOf(7 * kDay);
  update.mutable_update_mask()->add_paths("official_response_target");
  absl::StatusOr<v1::ContentSettings> updated =
      UpdateContentSettings(*context_, Admin(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  absl::StatusOr<v1::AccountabilityReport> report = Report();
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->response_target().seconds(), 7 * 86400);
  EXPECT_EQ(report->ideas_responded_in_target(), 0);
}

TEST_F(FiguresTest, AccountabilityReportRefusesBadWindowsAndTargets) {
  using Configure = std::function<void(v1::GetAccountabilityReportRequest&)>;
  for (const auto& [field, configure] :
       std::vector<std::pair<std::string, Configure>>{
           {"name", [](auto& r) { r.set_name("tenants/x/report"); }},
           {"window",
            [&](auto& r) {
              *r.mutable_window()->mutable_start_time() =
                  TimestampOf(today_ - 400 * kDay);
            }},
           {"window",
            [&](auto& r) {
              *r.mutable_window()->mutable_start_time() = TimestampOf(today_);
              *r.mutable_window()->mutable_end_time() =
                  TimestampOf(today_ - kDay);
            }},
           {"window.end_time",
            [](auto& r) {
              r.mutable_window()->mutable_end_time()->set_nanos(-1);
            }},
           {"response_target",
            [](auto& r) { r.mutable_response_target()->set_seconds(0); }},
           {"response_target",
            [](auto& r) { r.mutable_response_target()->set_seconds(43200); }},
           {"response_target",
            [](auto& r) {
              *r.mutable_response_target() = DurationOf(366 * kDay);
            }},
           {"space", [](auto& r) { r.set_space("tenants/other/spaces/x"); }}}) {
    const absl::Status status = Report(configure).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << field;
    EXPECT_TRUE(absl::StartsWith(status.message(), field)) << status;
  }
  // 366 days and a 365-day target are the limits, allowed.
  EXPECT_TRUE(Report([&](auto& r) {
                *r.mutable_window()->mutable_start_time() =
                    TimestampOf(today_ - 366 * kDay);
                *r.mutable_response_target() = DurationOf(365 * kDay);
              }).ok());
  EXPECT_EQ(
      Report([](auto& r) { r.set_name("tenants/nobody/accountabilityReport"); })
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(Report([&](auto& r) { r.set_space(SpaceName("nowhere")); })
                .status()
                .code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace agora::content
