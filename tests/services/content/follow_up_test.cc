// What happens to a post after it is written: the asker accepts an answer,
// staff move an idea through the workflow with official responses and
// merge duplicates, moderation's decisions publish or take down posts, and
// an erased member's authorship disappears.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/content/domain/answers.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/ideas.h"
#include "services/content/domain/post_reads.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

class FollowUpTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
    MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
    MakeCategory("idees", "appli");
    AnnounceMember("alice", "Alice");
    AnnounceMember("bruno", "Bruno");
  }

  v1::Post MustCreate(const auth::Principal& author, const v1::Post& post) {
    absl::StatusOr<v1::Post> created = Create(author, post);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Post());
  }

  v1::Post Idea(const std::string& title) {
    v1::Post idea;
    idea.set_kind(common::CONTENT_KIND_IDEA);
    idea.set_space(SpaceName("idees"));
    idea.set_category(SpaceName("idees") + "/categories/appli");
    idea.set_title(title);
    idea.set_body("Ce serait utile pour tout le monde.");
    return MustCreate(Member("alice"), idea);
  }

  absl::StatusOr<v1::Post> Accept(const auth::Principal& caller,
                                  const v1::Post& question,
                                  const v1::Post& answer) {
    v1::AcceptAnswerRequest request;
    request.set_name(question.name());
    request.set_answer(answer.name());
    return AcceptAnswer(*context_, caller, request);
  }

  absl::StatusOr<v1::Post> Move(const v1::Post& idea, common::IdeaStatus status,
                                const std::string& response) {
    v1::UpdateIdeaStatusRequest request;
    request.set_name(idea.name());
    request.set_status(status);
    request.mutable_official_response()->set_body(response);
    return UpdateIdeaStatus(*context_, Staff("camille"), request);
  }

  v1::Post Read(const std::string& name) {
    v1::GetPostRequest request;
    request.set_name(name);
    const auth::Principal moderator = Moderator("lea");
    absl::StatusOr<v1::Post> post = GetPost(*context_, &moderator, request);
    EXPECT_TRUE(post.ok()) << post.status();
    return post.value_or(v1::Post());
  }

  // What moderation announces when a moderator decides.
  void Decide(const v1::Post& post, common::PostState state,
              common::ModerationVerdict verdict, bool edited = false,
              const std::string& edited_body = "") {
    common::Actor moderator;
    moderator.set_type(common::ACTOR_TYPE_MEMBER);
    moderator.set_name(absl::StrCat("tenants/", tenant_, "/members/lea"));
    ev::Event event = events::NewEvent(ev::PRODUCER_MODERATION, tenant_,
                                       moderator, post.name(), absl::Now());
    ev::ModerationDecided& decided = *event.mutable_moderation_decided();
    decided.mutable_post()->set_kind(post.kind());
    decided.mutable_post()->set_name(post.name());
    decided.set_revision_id(post.revision_id());
    decided.set_decision(absl::StrCat("tenants/", tenant_, "/decisions/d1"));
    decided.set_verdict(verdict);
    decided.set_resulting_state(state);
    decided.add_reasons(common::MODERATION_REASON_OFF_TOPIC);
    decided.set_note("Merci de rester dans le sujet.");
    decided.set_edited(edited);
    decided.set_edited_body(edited_body);
    Apply(event);
  }
};

TEST_F(FollowUpTest, TheAskerAcceptsOneAnswerAtATime) {
  const v1::Post question =
      MustCreate(Member("alice"),
                 Question(SpaceName("questions"), "Frais ?", "Combien ?"));
  const v1::Post first = MustCreate(
      Member("bruno"),
      Reply(common::CONTENT_KIND_ANSWER, question.name(), "Deux euros."));
  const v1::Post second = MustCreate(
      Staff("camille"),
      Reply(common::CONTENT_KIND_ANSWER, question.name(), "Gratuit."));
  EXPECT_EQ(Accept(Member("bruno"), question, first).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Post> accepted = Accept(Member("alice"), question, first);
  ASSERT_TRUE(accepted.ok()) << accepted.status();
  EXPECT_EQ(accepted->question().accepted_answer(), first.name());
  EXPECT_TRUE(Read(first.name()).answer().accepted());
  // Staff may change the choice; the earlier answer is no longer accepted.
  ASSERT_TRUE(Accept(Staff("camille"), question, second).ok());
  EXPECT_FALSE(Read(first.name()).answer().accepted());
  EXPECT_TRUE(Read(second.name()).answer().accepted());
  const ev::Event event = LastEvent("answer_accepted");
  EXPECT_EQ(event.answer_accepted().answer(), second.name());
  EXPECT_EQ(event.answer_accepted().previous_answer(), first.name());
  EXPECT_EQ(event.answer_accepted().answer_author(),
            absl::StrCat("tenants/", tenant_, "/members/camille"));
  // An answer of another question is refused by name.
  const v1::Post other = MustCreate(
      Member("bruno"), Question(SpaceName("questions"), "Autre", "Texte"));
  absl::Status wrong = Accept(Member("alice"), other, first).status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kPermissionDenied);
  wrong = Accept(Member("alice"), question,
                 Reply(common::CONTENT_KIND_ANSWER, "", ""))
              .status();
  EXPECT_EQ(wrong.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(FollowUpTest, AnAutomaticReplyNeverAnswersTheQuestion) {
  const v1::Post question = MustCreate(
      Member("alice"), Question(SpaceName("questions"), "Aide", "Bonjour"));
  auth::Principal bot;
  bot.subject = "assistant";
  bot.tenant = tenant_;
  bot.roles = {auth::kRoleService};
  bot.scopes = {"content.write"};
  bot.is_service_account = true;
  const v1::Post automatic =
      MustCreate(bot, Reply(common::CONTENT_KIND_ANSWER, question.name(),
                            "Consultez notre FAQ."));
  EXPECT_TRUE(automatic.answer().automated());
  ASSERT_EQ(automatic.author().badges_size(), 1);
  EXPECT_EQ(automatic.author().badges(0), common::MEMBER_BADGE_AUTOMATED);
  const v1::Post reread = Read(question.name());
  EXPECT_EQ(reread.question().answer_count(), 1);
  EXPECT_FALSE(reread.question().has_first_answer_time())
      << "an automatic reply does not stop the unanswered clock";
  absl::Status refused = Accept(Member("alice"), question, automatic).status();
  EXPECT_EQ(status::ReasonOf(refused), "AUTOMATED_ANSWER") << refused;
  // Service accounts without the scope, or posting anything else, may not.
  bot.scopes.clear();
  EXPECT_EQ(
      Create(bot, Reply(common::CONTENT_KIND_ANSWER, question.name(), "Encore"))
          .status()
          .code(),
      absl::StatusCode::kPermissionDenied);
}

TEST_F(FollowUpTest, IdeasFollowTheWorkflowWithAPublicHistory) {
  const v1::Post idea = Idea("Virements programmés");
  EXPECT_EQ(idea.idea().status(), common::IDEA_STATUS_SUBMITTED);
  // Members cannot move ideas.
  v1::UpdateIdeaStatusRequest by_member;
  by_member.set_name(idea.name());
  by_member.set_status(common::IDEA_STATUS_UNDER_REVIEW);
  by_member.mutable_official_response()->set_body("Moi aussi");
  EXPECT_EQ(
      UpdateIdeaStatus(*context_, Member("bruno"), by_member).status().code(),
      absl::StatusCode::kPermissionDenied);
  // Skipping steps is not allowed by the default workflow.
  absl::Status skip =
      Move(idea, common::IDEA_STATUS_DELIVERED, "C'est fait").status();
  EXPECT_EQ(status::ReasonOf(skip), "STATUS_TRANSITION_NOT_ALLOWED") << skip;
  EXPECT_EQ(Move(idea, common::IDEA_STATUS_DUPLICATE, "x").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Move(idea, common::IDEA_STATUS_PLANNED, "").status().code(),
            absl::StatusCode::kInvalidArgument);

  now_ += absl::Hours(2);
  absl::StatusOr<v1::Post> reviewed = Move(
      idea, common::IDEA_STATUS_UNDER_REVIEW,
      "Merci ! Nous étudions votre idée. Client FR76 3000 6000 0112 3456 7890 "
      "189 cité par erreur.");
  ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  EXPECT_EQ(reviewed->idea().status(), common::IDEA_STATUS_UNDER_REVIEW);
  EXPECT_FALSE(absl::StrContains(reviewed->idea().official_response().body(),
                                 "3000 6000 0112"))
      << "official responses are masked too";
  now_ += absl::Hours(24);
  ASSERT_TRUE(Move(idea, common::IDEA_STATUS_PLANNED, "Prévu pour mars.").ok());

  v1::ListIdeaStatusHistoryRequest history;
  history.set_parent(idea.name());
  absl::StatusOr<v1::ListIdeaStatusHistoryResponse> changes =
      ListIdeaStatusHistory(*context_, nullptr, history);
  ASSERT_TRUE(changes.ok()) << changes.status();
  ASSERT_EQ(changes->status_changes_size(), 3);
  EXPECT_EQ(changes->status_changes(0).status(), common::IDEA_STATUS_SUBMITTED);
  EXPECT_EQ(changes->status_changes(1).previous_status(),
            common::IDEA_STATUS_SUBMITTED);
  EXPECT_EQ(changes->status_changes(2).status(), common::IDEA_STATUS_PLANNED);
  EXPECT_EQ(changes->status_changes(2).official_response().body(),
            "Prévu pour mars.");
  EXPECT_EQ(changes->status_changes(2).official_response().author().name(),
            absl::StrCat("tenants/", tenant_, "/members/camille"));
  const ev::Event changed = LastEvent("idea_status_changed");
  EXPECT_EQ(changed.idea_status_changed().status(),
            common::IDEA_STATUS_PLANNED);
  EXPECT_EQ(changed.idea_status_changed().idea_author(),
            absl::StrCat("tenants/", tenant_, "/members/alice"));
  EXPECT_FALSE(PostColumn(idea.name(), "first_response_time").empty());
}

TEST_F(FollowUpTest, DuplicatesMergeIntoTheOriginal) {
  const v1::Post original = Idea("Carte virtuelle");
  const v1::Post duplicate = Idea("Une carte virtuelle svp");
  v1::MergeIdeasRequest merge;
  merge.set_name(duplicate.name());
  merge.set_target(original.name());
  EXPECT_EQ(MergeIdeas(*context_, Member("alice"), merge).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Post> merged =
      MergeIdeas(*context_, Staff("camille"), merge);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->name(), original.name());
  EXPECT_EQ(merged->idea().merged_count(), 1);
  const v1::Post reread = Read(duplicate.name());
  EXPECT_EQ(reread.idea().status(), common::IDEA_STATUS_DUPLICATE);
  EXPECT_EQ(reread.idea().merged_into(), original.name());
  EXPECT_TRUE(absl::StrContains(reread.idea().official_response().body(),
                                "Carte virtuelle"));
  const ev::Event event = LastEvent("ideas_merged");
  EXPECT_EQ(event.ideas_merged().source(), duplicate.name());
  EXPECT_EQ(event.ideas_merged().target(), original.name());
  // Merging again is harmless; into itself or into a duplicate is refused.
  ASSERT_TRUE(MergeIdeas(*context_, Staff("camille"), merge).ok());
  EXPECT_EQ(Read(original.name()).idea().merged_count(), 1);
  merge.set_target(duplicate.name());
  merge.set_name(Idea("Encore une").name());
  absl::Status into_duplicate =
      MergeIdeas(*context_, Staff("camille"), merge).status();
  EXPECT_EQ(into_duplicate.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(into_duplicate.message(), "target"));
  merge.set_target(merge.name());
  EXPECT_EQ(MergeIdeas(*context_, Staff("camille"), merge).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(FollowUpTest, ModerationDecisionsPublishOrTakeDownPosts) {
  // A space in pre-moderation holds every post for a moderator.
  v1::UpdateSpaceRequest premoderate;
  premoderate.mutable_space()->set_name(SpaceName("questions"));
  premoderate.mutable_space()->set_moderation_mode(
      common::MODERATION_MODE_PRE_MODERATION);
  premoderate.mutable_update_mask()->add_paths("moderation_mode");
  ASSERT_TRUE(UpdateSpace(*context_, Admin(), premoderate).ok());
  const v1::Post held = MustCreate(
      Member("alice"), Question(SpaceName("questions"), "Attente", "Texte"));
  ASSERT_EQ(held.state(), common::POST_STATE_PENDING);
  EXPECT_TRUE(held.moderation().has_expected_decision_time())
      << "the author sees the expected wait";
  v1::GetSpaceRequest space;
  space.set_name(SpaceName("questions"));
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 0);

  Decide(held, common::POST_STATE_PUBLISHED,
         common::MODERATION_VERDICT_PUBLISH);
  v1::Post published = Read(held.name());
  EXPECT_EQ(published.state(), common::POST_STATE_PUBLISHED);
  EXPECT_TRUE(published.has_publish_time());
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 1);
  EXPECT_EQ(EventTypes(held.name()),
            (std::vector<std::string>{"post_created", "post_published"}));

  // Flags hide it; a moderator's edit then republishes it as a revision.
  Decide(published, common::POST_STATE_HIDDEN, common::MODERATION_VERDICT_HOLD);
  EXPECT_EQ(Read(held.name()).state(), common::POST_STATE_HIDDEN);
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 0);
  EXPECT_EQ(LastEvent("post_hidden").post_hidden().decision(),
            absl::StrCat("tenants/", tenant_, "/decisions/d1"));
  Decide(Read(held.name()), common::POST_STATE_PUBLISHED,
         common::MODERATION_VERDICT_PUBLISH, /*edited=*/true,
         "Texte corrigé par la modération");
  const v1::Post edited = Read(held.name());
  EXPECT_EQ(edited.body(), "Texte corrigé par la modération");
  EXPECT_EQ(edited.moderation().note(), "Merci de rester dans le sujet.");
  EXPECT_TRUE(LastEvent("post_published").post_published().republished());
  v1::ListPostRevisionsRequest revisions;
  revisions.set_parent(held.name());
  EXPECT_EQ(ListPostRevisions(*context_, nullptr, revisions)->revisions_size(),
            2);
  // Removal takes it off for good.
  Decide(edited, common::POST_STATE_REMOVED, common::MODERATION_VERDICT_REJECT);
  EXPECT_EQ(Read(held.name()).state(), common::POST_STATE_REMOVED);
  EXPECT_EQ(LastEvent("post_removed").post_removed().state(),
            common::POST_STATE_REMOVED);
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 0);
}

TEST_F(FollowUpTest, AnErasedMembersAuthorshipDisappears) {
  const v1::Post question = MustCreate(
      Member("alice"), Question(SpaceName("questions"), "Question", "Texte"));
  ev::Event erased = IdentityEvent(tenant_);
  erased.mutable_member_erased()->set_member(
      absl::StrCat("tenants/", tenant_, "/members/alice"));
  Apply(erased);
  const v1::Post reread = Read(question.name());
  EXPECT_TRUE(reread.author().erased());
  EXPECT_TRUE(reread.author().name().empty());
  EXPECT_TRUE(reread.author().display_name().empty());
  EXPECT_EQ(reread.state(), common::POST_STATE_PUBLISHED) << "kept by default";
  EXPECT_EQ(PostColumn(question.name(), "author"), "");

  // With the REMOVE policy, an erased member's posts are taken down.
  v1::UpdateContentSettingsRequest policy;
  policy.mutable_content_settings()->set_name(
      absl::StrCat("tenants/", tenant_, "/contentSettings"));
  policy.mutable_content_settings()->set_erased_member_policy(
      v1::ContentSettings::ERASED_MEMBER_POLICY_REMOVE);
  policy.mutable_update_mask()->add_paths("erased_member_policy");
  ASSERT_TRUE(UpdateContentSettings(*context_, Admin(), policy).ok());
  const v1::Post by_bruno = MustCreate(
      Member("bruno"), Question(SpaceName("questions"), "De Bruno", "Texte"));
  erased.set_id("00000000-0000-4000-8000-00000000b001");
  erased.mutable_member_erased()->set_member(
      absl::StrCat("tenants/", tenant_, "/members/bruno"));
  Apply(erased);
  EXPECT_EQ(Read(by_bruno.name()).state(), common::POST_STATE_REMOVED);
  EXPECT_EQ(LastEvent("post_removed").post_removed().post().name(),
            by_bruno.name());
}

}  // namespace
}  // namespace agora::content
