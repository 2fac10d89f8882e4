// Creating, reading, editing and deleting posts, screened by the real
// moderation service: only masked text is stored, the verdict decides the
// state, a post is held when screening does not answer, retries change
// nothing, and each caller sees what they may.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/post_reads.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

// A Luhn-valid card number and a valid French IBAN (test values).
constexpr char kCardNumber[] = "4539 1488 0343 6467";
constexpr char kIban[] = "FR76 3000 6000 0112 3456 7890 189";

class PostsTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
    AnnounceMember("alice", "Alice Martin");
    AnnounceMember("bruno", "Bruno");
  }

  v1::Post Ask(const std::string& title = "Plafond de ma carte ?",
               const std::string& body = "Comment relever le plafond ?") {
    absl::StatusOr<v1::Post> post =
        Create(Member("alice"), Question(SpaceName("questions"), title, body));
    EXPECT_TRUE(post.ok()) << post.status();
    return post.value_or(v1::Post());
  }

  absl::StatusOr<v1::Post> Get(const std::string& name,
                               const auth::Principal* caller) {
    v1::GetPostRequest request;
    request.set_name(name);
    return GetPost(*context_, caller, request);
  }
};

TEST_F(PostsTest, ACleanQuestionIsPublishedAndAnnounced) {
  const v1::Post post = Ask();
  EXPECT_EQ(post.state(), common::POST_STATE_PUBLISHED);
  EXPECT_EQ(post.author().name(),
            absl::StrCat("tenants/", tenant_, "/members/alice"));
  EXPECT_EQ(post.author().display_name(), "Alice Martin");
  EXPECT_EQ(post.thread_root(), post.name());
  EXPECT_EQ(post.language(), "fr");
  EXPECT_EQ(post.moderation().verdict(), common::MODERATION_VERDICT_PUBLISH);
  EXPECT_TRUE(post.has_publish_time());
  EXPECT_EQ(EventTypes(post.name()),
            (std::vector<std::string>{"post_created", "post_published"}));
  const ev::Event published = LastEvent("post_published");
  EXPECT_EQ(published.post_published().title(), "Plafond de ma carte ?");
  EXPECT_EQ(published.post_published().space(), SpaceName("questions"));

  v1::GetSpaceRequest space;
  space.set_name(SpaceName("questions"));
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 1);
  // Anyone reads it; the moderation outcome is for its author.
  absl::StatusOr<v1::Post> anonymous = Get(post.name(), nullptr);
  ASSERT_TRUE(anonymous.ok()) << anonymous.status();
  EXPECT_FALSE(anonymous->has_moderation());
  const auth::Principal alice = Member("alice");
  EXPECT_TRUE(Get(post.name(), &alice)->has_moderation());
}

TEST_F(PostsTest, PersonalDataIsMaskedBeforeAnythingIsStored) {
  const v1::Post post =
      Ask("Ma carte 4539 1488 0343 6467 est bloquée",
          absl::StrCat("Voici ma carte ", kCardNumber, " et mon IBAN ", kIban,
                       ", merci de m'aider."));
  for (const char* column : {"title", "body"}) {
    const std::string stored = PostColumn(post.name(), column);
    EXPECT_FALSE(absl::StrContains(stored, "4539 1488 0343")) << stored;
    EXPECT_FALSE(absl::StrContains(stored, "3000 6000 0112")) << stored;
  }
  EXPECT_TRUE(absl::StrContains(PostColumn(post.name(), "body"), "6467"))
      << "the last digits stay, for the member to recognise the card";
  // ... and in the revision and in the events.
  v1::ListPostRevisionsRequest revisions;
  revisions.set_parent(post.name());
  const auth::Principal alice = Member("alice");
  absl::StatusOr<v1::ListPostRevisionsResponse> listed =
      ListPostRevisions(*context_, &alice, revisions);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->revisions_size(), 1);
  EXPECT_FALSE(absl::StrContains(listed->revisions(0).body(), "0343"));
  const ev::Event created = LastEvent("post_created");
  std::string serialized;
  ASSERT_TRUE(LastEvent("post_created").SerializeToString(&serialized));
  EXPECT_FALSE(absl::StrContains(serialized, "4539 1488"));
}

TEST_F(PostsTest, WhenScreeningDoesNotAnswerThePostIsHeldAndMaskedLocally) {
  // Nothing listens there: the call fails at once (UNAVAILABLE).
  ScreeningClient unreachable(
      moderation::v1::ModerationService::NewStub(
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", testing::FreePort()),
                              grpc::InsecureChannelCredentials())),
      service_tokens::SignedTokenSource(moderation_->signer(),
                                        {.subject = "content",
                                         .scopes = {"moderation.screen"},
                                         .issuer = ModerationProcess::kIssuer}),
      absl::Milliseconds(300));
  ContentContext held_context{.pool = *pool_, .screening = unreachable};
  held_context.now = context_->now;
  v1::CreatePostRequest request;
  request.set_parent("tenants/" + tenant_);
  *request.mutable_post() =
      Question(SpaceName("questions"), "Carte bloquée",
               absl::StrCat("Ma carte ", kCardNumber, " ne marche plus"));
  absl::StatusOr<v1::Post> post =
      CreatePost(held_context, Member("alice"), request);
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_EQ(post->state(), common::POST_STATE_PENDING);
  EXPECT_EQ(post->moderation().verdict(), common::MODERATION_VERDICT_HOLD);
  EXPECT_EQ(PostColumn(post->name(), "unscreened"), "true");
  EXPECT_FALSE(absl::StrContains(PostColumn(post->name(), "body"), "4539"));
  EXPECT_EQ(EventTypes(post->name()),
            (std::vector<std::string>{"post_created"}));
  // Nobody else sees it.
  const auth::Principal bruno = Member("bruno");
  EXPECT_EQ(Get(post->name(), &bruno).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Get(post->name(), nullptr).status().code(),
            absl::StatusCode::kNotFound);

  // Once moderation answers again, the held post is screened; it stays for
  // the review queue or is published by the verdict.
  absl::StatusOr<int> rescreened = RescreenHeldPosts(*context_, 10);
  ASSERT_TRUE(rescreened.ok()) << rescreened.status();
  EXPECT_EQ(*rescreened, 1);
  EXPECT_EQ(PostColumn(post->name(), "unscreened"), "false");
}

TEST_F(PostsTest, AScreeningThatHangsPastItsDeadlineHoldsThePost) {
  // A socket that accepts connections and never speaks HTTP/2.
  const int port = testing::FreePort();
  absl::StatusOr<testing::ChildProcess> silent = testing::ChildProcess::Start(
      {"/usr/bin/python3", "-c",
       absl::StrCat("import socket,time\ns=socket.socket()\n"
                    "s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
                    "s.bind(('127.0.0.1',",
                    port,
                    "))\ns.listen(16)\nc=[]\n"
                    "while True: c.append(s.accept())")});
  ASSERT_TRUE(silent.ok()) << silent.status();
  ASSERT_TRUE(testing::WaitForPort(port, absl::Seconds(10)));
  ScreeningClient hanging(
      moderation::v1::ModerationService::NewStub(
          grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                              grpc::InsecureChannelCredentials())),
      service_tokens::SignedTokenSource(moderation_->signer(),
                                        {.subject = "content",
                                         .scopes = {"moderation.screen"},
                                         .issuer = ModerationProcess::kIssuer}),
      absl::Milliseconds(200));
  ContentContext held_context{.pool = *pool_, .screening = hanging};
  v1::CreatePostRequest request;
  request.set_parent("tenants/" + tenant_);
  *request.mutable_post() =
      Question(SpaceName("questions"), "Question", "Texte de la question");
  absl::StatusOr<v1::Post> post =
      CreatePost(held_context, Member("alice"), request);
  ASSERT_TRUE(post.ok()) << post.status();
  EXPECT_EQ(post->state(), common::POST_STATE_PENDING);
  EXPECT_EQ(PostColumn(post->name(), "unscreened"), "true");
}

TEST_F(PostsTest, ARetryWithTheSameRequestIdCreatesNothingMore) {
  const std::string request_id = "5d0c1a7e-0000-4000-8000-00000000abcd";
  absl::StatusOr<v1::Post> first = Create(
      Member("alice"),
      Question(SpaceName("questions"), "Une question", "Le texte"), request_id);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Post> retry = Create(
      Member("alice"),
      Question(SpaceName("questions"), "Une question", "Le texte"), request_id);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->name(), first->name());
  EXPECT_EQ(retry->etag(), first->etag());
  v1::GetSpaceRequest space;
  space.set_name(SpaceName("questions"));
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 1);
  // Another member's identical request id is theirs alone.
  absl::StatusOr<v1::Post> other = Create(
      Member("bruno"),
      Question(SpaceName("questions"), "Sa question", "Son texte"), request_id);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(other->name(), first->name());
}

TEST_F(PostsTest, BadInputIsRefusedNamingTheFieldAndNothingIsStored) {
  struct Case {
    const char* field;
    v1::Post post;
  };
  std::vector<Case> cases;
  cases.push_back({"post.title", Question(SpaceName("questions"),
                                          std::string(201, 'a'), "Texte")});
  cases.push_back(
      {"post.title", Question(SpaceName("questions"), "", "Texte")});
  cases.push_back({"post.body", Question(SpaceName("questions"), "Titre",
                                         std::string(20001, 'b'))});
  cases.push_back({"post.body", Question(SpaceName("questions"), "Titre", "")});
  v1::Post tags = Question(SpaceName("questions"), "Titre", "Texte");
  for (const char* tag : {"a", "b", "c", "d", "e", "f"}) tags.add_tags(tag);
  cases.push_back({"post.tags", tags});
  v1::Post upper = Question(SpaceName("questions"), "Titre", "Texte");
  upper.add_tags("Cartes");
  cases.push_back({"post.tags[0]", upper});
  v1::Post idea = Question(SpaceName("questions"), "Titre", "Texte");
  idea.set_kind(common::CONTENT_KIND_IDEA);
  cases.push_back({"post.kind", idea});
  cases.push_back({"post.space", Question("tenants/other/spaces/questions",
                                          "Titre", "Texte")});
  v1::Post no_kind = Question(SpaceName("questions"), "Titre", "Texte");
  no_kind.clear_kind();
  cases.push_back({"post.kind", no_kind});
  v1::Post language = Question(SpaceName("questions"), "Titre", "Texte");
  language.set_language("pl");
  cases.push_back({"post.language", language});
  cases.push_back(
      {"post.in_reply_to", Reply(common::CONTENT_KIND_ANSWER, "", "Réponse")});
  for (const Case& c : cases) {
    absl::Status status = Create(Member("alice"), c.post).status();
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument)
        << c.field << ": " << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), c.field))
        << c.field << ": " << status;
  }
  v1::GetSpaceRequest space;
  space.set_name(SpaceName("questions"));
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 0);
  EXPECT_EQ(PostColumn("x/x", "id"), "");
}

TEST_F(PostsTest, RepliesNeedAPublishedParentOfTheRightKind) {
  const v1::Post question = Ask();
  absl::StatusOr<v1::Post> answer =
      Create(Member("bruno"),
             Reply(common::CONTENT_KIND_ANSWER, question.name(), "Voici."));
  ASSERT_TRUE(answer.ok()) << answer.status();
  EXPECT_EQ(answer->thread_root(), question.name());
  EXPECT_EQ(answer->space(), SpaceName("questions"));
  absl::StatusOr<v1::Post> comment =
      Create(Member("alice"),
             Reply(common::CONTENT_KIND_COMMENT, answer->name(), "Merci !"));
  ASSERT_TRUE(comment.ok()) << comment.status();
  EXPECT_EQ(comment->thread_root(), question.name());
  // Replying to a reply stays one level deep.
  v1::Post reply =
      Reply(common::CONTENT_KIND_COMMENT, answer->name(), "De rien");
  reply.set_in_reply_to_comment(comment->name());
  absl::StatusOr<v1::Post> threaded = Create(Member("bruno"), reply);
  ASSERT_TRUE(threaded.ok()) << threaded.status();
  v1::Post deeper = Reply(common::CONTENT_KIND_COMMENT, answer->name(), "Et ?");
  deeper.set_in_reply_to_comment(threaded->name());
  absl::StatusOr<v1::Post> flattened = Create(Member("alice"), deeper);
  ASSERT_TRUE(flattened.ok()) << flattened.status();
  EXPECT_EQ(flattened->in_reply_to_comment(), comment->name());

  EXPECT_EQ(Create(Member("bruno"),
                   Reply(common::CONTENT_KIND_ANSWER, answer->name(), "Non"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(Member("bruno"),
                   Reply(common::CONTENT_KIND_COMMENT, comment->name(), "Non"))
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      Create(Member("bruno"),
             Reply(common::CONTENT_KIND_ANSWER,
                   absl::StrCat("tenants/", tenant_, "/posts/nothing"), "Non"))
          .status()
          .code(),
      absl::StatusCode::kNotFound);
  // Counters and the thread's activity follow.
  absl::StatusOr<v1::Post> reread = Get(question.name(), nullptr);
  EXPECT_EQ(reread->question().answer_count(), 1);
  EXPECT_TRUE(reread->question().has_first_answer_time());
  EXPECT_EQ(Get(answer->name(), nullptr)->comment_count(), 3);
  EXPECT_EQ(LastEvent("comment_created").comment_created().in_reply_to_author(),
            answer->author().name());
}

TEST_F(PostsTest, MembersPostOnlyInTheirTenantAndArticlesAreForStaff) {
  MakeSpace("blog", v1::SPACE_KIND_BLOG);
  auth::Principal stranger = Member("alice");
  stranger.tenant = "elsewhere";
  EXPECT_EQ(Create(stranger, Question(SpaceName("questions"), "T", "B"))
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  v1::Post article;
  article.set_kind(common::CONTENT_KIND_ARTICLE);
  article.set_space(SpaceName("blog"));
  article.set_title("Nouveautés");
  article.set_body("Notre application évolue.");
  EXPECT_EQ(Create(Member("alice"), article).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Post> written = Create(Staff("camille"), article);
  ASSERT_TRUE(written.ok()) << written.status();
  EXPECT_EQ(written->state(), common::POST_STATE_PUBLISHED);
  ASSERT_GE(written->author().badges_size(), 1);
  EXPECT_EQ(written->author().badges(0), common::MEMBER_BADGE_STAFF);
}

TEST_F(PostsTest, TheAuthorEditsWithinTheWindowAndRevisionsAreKept) {
  const v1::Post post = Ask();
  now_ += absl::Minutes(10);
  v1::UpdatePostRequest edit;
  edit.mutable_post()->set_name(post.name());
  edit.mutable_post()->set_body(
      absl::StrCat("Précision : ma carte ", kCardNumber));
  edit.mutable_post()->set_etag(post.etag());
  edit.mutable_update_mask()->add_paths("body");
  EXPECT_EQ(UpdatePost(*context_, Member("bruno"), edit).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Post> edited =
      UpdatePost(*context_, Member("alice"), edit);
  ASSERT_TRUE(edited.ok()) << edited.status();
  EXPECT_FALSE(absl::StrContains(edited->body(), "4539"));
  EXPECT_TRUE(edited->has_edit_time());
  EXPECT_NE(edited->revision_id(), post.revision_id());
  EXPECT_EQ(edited->title(), post.title());
  v1::ListPostRevisionsRequest revisions;
  revisions.set_parent(post.name());
  absl::StatusOr<v1::ListPostRevisionsResponse> listed =
      ListPostRevisions(*context_, nullptr, revisions);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->revisions_size(), 2);
  EXPECT_EQ(listed->revisions(1).body(), post.body());  // newest first
  const ev::Event updated = LastEvent("post_updated");
  EXPECT_EQ(updated.post_updated().revision_id(), edited->revision_id());

  // The old etag is stale now.
  absl::Status stale = UpdatePost(*context_, Member("alice"), edit).status();
  EXPECT_EQ(status::ReasonOf(stale), "ETAG_MISMATCH");
  // Fields outside the editable list are refused by name.
  v1::UpdatePostRequest kind = edit;
  kind.mutable_post()->clear_etag();
  kind.mutable_update_mask()->clear_paths();
  kind.mutable_update_mask()->add_paths("kind");
  EXPECT_EQ(UpdatePost(*context_, Member("alice"), kind).status().code(),
            absl::StatusCode::kInvalidArgument);
  // After the window (24 h by default), editing is over.
  now_ += absl::Hours(25);
  edit.mutable_post()->clear_etag();
  absl::Status closed = UpdatePost(*context_, Member("alice"), edit).status();
  EXPECT_EQ(status::ReasonOf(closed), "EDIT_WINDOW_CLOSED") << closed;
}

TEST_F(PostsTest, DeletingIsSoftOnceAndTakesThePostOffEverything) {
  const v1::Post post = Ask();
  v1::DeletePostRequest remove;
  remove.set_name(post.name());
  EXPECT_EQ(DeletePost(*context_, Member("bruno"), remove).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::Post> deleted =
      DeletePost(*context_, Member("alice"), remove);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_EQ(deleted->state(), common::POST_STATE_DELETED);
  absl::StatusOr<v1::Post> again =
      DeletePost(*context_, Member("alice"), remove);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->etag(), deleted->etag());
  EXPECT_EQ(EventTypes(post.name()),
            (std::vector<std::string>{"post_created", "post_published",
                                      "post_deleted"}));
  EXPECT_EQ(Get(post.name(), nullptr).status().code(),
            absl::StatusCode::kNotFound);
  v1::GetSpaceRequest space;
  space.set_name(SpaceName("questions"));
  EXPECT_EQ(GetSpace(*context_, nullptr, space)->post_count(), 0);
  EXPECT_FALSE(PostColumn(post.name(), "body").empty()) << "kept for audit";
}

TEST_F(PostsTest, ListsPageNewestFirstAndFilter) {
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    now_ += absl::Seconds(1);
    v1::Post post =
        Question(SpaceName("questions"), absl::StrCat("Question ", i), "Texte");
    if (i % 2 == 0) post.add_tags("cartes");
    absl::StatusOr<v1::Post> created = Create(Member("alice"), post);
    ASSERT_TRUE(created.ok()) << created.status();
    names.push_back(created->name());
  }
  v1::ListPostsRequest list;
  list.set_space(SpaceName("questions"));
  list.set_page_size(2);
  std::vector<std::string> seen;
  for (int page = 0; page < 5; ++page) {
    absl::StatusOr<v1::ListPostsResponse> response =
        ListPosts(*context_, nullptr, list);
    ASSERT_TRUE(response.ok()) << response.status();
    for (const v1::Post& post : response->posts()) seen.push_back(post.name());
    if (response->next_page_token().empty()) break;
    list.set_page_token(response->next_page_token());
  }
  EXPECT_EQ(seen, (std::vector<std::string>{names[4], names[3], names[2],
                                            names[1], names[0]}));
  v1::ListPostsRequest tagged;
  tagged.set_parent("tenants/" + tenant_);
  tagged.set_tag("cartes");
  tagged.set_order_by(v1::POST_ORDER_OLDEST);
  absl::StatusOr<v1::ListPostsResponse> response =
      ListPosts(*context_, nullptr, tagged);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->posts_size(), 3);
  EXPECT_EQ(response->posts(0).name(), names[0]);

  // Other states need the author to be the caller, or a moderator.
  v1::ListPostsRequest pending;
  pending.set_parent("tenants/" + tenant_);
  pending.add_states(common::POST_STATE_PENDING);
  EXPECT_EQ(ListPosts(*context_, nullptr, pending).status().code(),
            absl::StatusCode::kPermissionDenied);
  pending.set_author("tenants/" + tenant_ + "/members/me");
  const auth::Principal alice = Member("alice");
  EXPECT_TRUE(ListPosts(*context_, &alice, pending).ok());
  // A garbage page token is a clear error.
  list.set_page_token("not-a-token");
  EXPECT_EQ(ListPosts(*context_, nullptr, list).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PostsTest, BatchGetLeavesOutWhatTheCallerMayNotSee) {
  const v1::Post visible = Ask();
  v1::BatchGetPostsRequest batch;
  batch.set_parent("tenants/" + tenant_);
  batch.add_names(visible.name());
  batch.add_names(absl::StrCat("tenants/", tenant_, "/posts/missing"));
  absl::StatusOr<v1::BatchGetPostsResponse> response =
      BatchGetPosts(*context_, nullptr, batch);
  ASSERT_TRUE(response.ok()) << response.status();
  ASSERT_EQ(response->posts_size(), 1);
  EXPECT_EQ(response->posts(0).name(), visible.name());
  ASSERT_EQ(response->missing_size(), 1);
  batch.add_names("tenants/other/posts/x");
  EXPECT_EQ(BatchGetPosts(*context_, nullptr, batch).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(PostsTest, MembersPostingTooFastAreSlowedDown) {
  v1::UpdateContentSettingsRequest slow;
  slow.mutable_content_settings()->set_name(
      absl::StrCat("tenants/", tenant_, "/contentSettings"));
  slow.mutable_content_settings()->set_max_posts_per_hour(2);
  slow.mutable_update_mask()->add_paths("max_posts_per_hour");
  ASSERT_TRUE(UpdateContentSettings(*context_, Admin(), slow).ok());
  Ask("Première", "Un");
  Ask("Deuxième", "Deux");
  absl::Status third =
      Create(Member("alice"), Question(SpaceName("questions"), "Trois", "3"))
          .status();
  EXPECT_EQ(third.code(), absl::StatusCode::kResourceExhausted) << third;
  EXPECT_TRUE(status::RetryDelayOf(third).has_value());
  // Others are not slowed down by alice.
  EXPECT_TRUE(
      Create(Member("bruno"), Question(SpaceName("questions"), "Lui", "Oui"))
          .ok());
  now_ += absl::Minutes(61);
  EXPECT_TRUE(
      Create(Member("alice"), Question(SpaceName("questions"), "Trois", "3"))
          .ok());
}

}  // namespace
}  // namespace agora::content
