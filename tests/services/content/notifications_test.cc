// The notification inbox fed by content's own events and ranking's votes:
// who is told of what (never the actor), preferences deciding the channels
// (moderation decisions always shown), one notification per recipient and
// event however often it is applied, pages, unread counts, marking read,
// retention, erasure and the member themselves only.
#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "tests/services/content/notification_fixture.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

class NotificationsTest : public NotificationTest {
 protected:
  absl::StatusOr<v1::Post> Move(const v1::Post& idea, common::IdeaStatus status,
                                const std::string& response) {
    v1::UpdateIdeaStatusRequest request;
    request.set_name(idea.name());
    request.set_status(status);
    request.mutable_official_response()->set_body(response);
    return UpdateIdeaStatus(*context_, Staff("camille"), request);
  }

  absl::StatusOr<v1::NotificationPreferences> SetPreferences(
      const std::string& member, const v1::NotificationPreferences& wanted,
      std::vector<std::string> paths) {
    v1::UpdateNotificationPreferencesRequest request;
    *request.mutable_notification_preferences() = wanted;
    request.mutable_notification_preferences()->set_name(
        MemberName(member) + "/notificationPreferences");
    for (std::string& path : paths) {
      request.mutable_update_mask()->add_paths(std::move(path));
    }
    return UpdateNotificationPreferences(*context_, Member(member), request);
  }

  static v1::NotificationChannelSetting Channels(common::NotificationType type,
                                                 bool inbox, bool email,
                                                 bool push) {
    v1::NotificationChannelSetting setting;
    setting.set_type(type);
    setting.set_inbox(inbox);
    setting.set_email(email);
    setting.set_push(push);
    return setting;
  }

  int Unread(const std::string& member) {
    v1::CountUnreadNotificationsRequest request;
    request.set_parent(MemberName(member));
    absl::StatusOr<v1::CountUnreadNotificationsResponse> count =
        CountUnreadNotifications(*context_, Member(member), request);
    EXPECT_TRUE(count.ok()) << count.status();
    return count.value_or(v1::CountUnreadNotificationsResponse())
        .unread_count();
  }

  int NotificationRows() {
    int rows = 0;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          rows = tx.exec1("SELECT count(*) FROM notifications")[0].as<int>();
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return rows;
  }
};

TEST_F(NotificationsTest,
       ANewAnswerReachesTheQuestionsFollowersNotTheAnswerer) {
  const v1::Post question = Ask("alice");
  Deliver();
  ASSERT_TRUE(FollowPost("chloe", question.name()).ok());
  const v1::Post answer =
      Answer("bruno", question, "Dans l'appli, rubrique **Carte**.");
  Deliver();

  const std::vector<v1::Notification> inbox = Inbox("alice");
  ASSERT_EQ(inbox.size(), 1u);
  const v1::Notification& told = inbox[0];
  EXPECT_TRUE(
      absl::StartsWith(told.name(), MemberName("alice") + "/notifications/"));
  EXPECT_EQ(told.type(), common::NOTIFICATION_TYPE_NEW_ANSWER);
  EXPECT_EQ(told.subject().name(), answer.name());
  EXPECT_EQ(told.subject().kind(), common::CONTENT_KIND_ANSWER);
  EXPECT_EQ(told.thread_root(), question.name());
  EXPECT_EQ(told.title(), "Plafond de ma carte ?");
  EXPECT_EQ(told.excerpt(), "Dans l'appli, rubrique Carte.");
  EXPECT_EQ(told.actor().name(), MemberName("bruno"));
  EXPECT_EQ(told.actor().display_name(), "Bruno");
  EXPECT_FALSE(told.read());
  EXPECT_EQ(TypesOf("chloe"), std::vector<common::NotificationType>{
                                  common::NOTIFICATION_TYPE_NEW_ANSWER});
  EXPECT_TRUE(Inbox("bruno").empty()) << "never told of one's own act";

  // Each notification is an event for the e-mail and push senders, with the
  // defaults: e-mail on, push off, in the recipient's language.
  const std::vector<ev::NotificationCreated> announced = Announced("alice");
  ASSERT_EQ(announced.size(), 1u);
  EXPECT_EQ(announced[0].notification(), told.name());
  EXPECT_EQ(announced[0].type(), common::NOTIFICATION_TYPE_NEW_ANSWER);
  EXPECT_EQ(announced[0].subject().name(), answer.name());
  EXPECT_EQ(announced[0].title(), told.title());
  EXPECT_EQ(announced[0].language(), "fr");
  EXPECT_TRUE(announced[0].email());
  EXPECT_FALSE(announced[0].push());
  EXPECT_TRUE(Announced("bruno").empty());
}

TEST_F(NotificationsTest, CommentsReachTheThreadTheParentAndTheRepliedComment) {
  const v1::Post question = Ask("alice");
  const v1::Post answer = Answer("bruno", question);
  Deliver();
  now_ += absl::Seconds(1);
  const v1::Post comment = Comment("chloe", answer, "Ça marche, merci.");
  Deliver();
  // Alice follows the thread; Bruno wrote the answer (and follows too):
  // one notification each.
  for (const char* member : {"alice", "bruno"}) {
    std::vector<v1::Notification> inbox = Inbox(member);
    ASSERT_FALSE(inbox.empty()) << member;
    EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_NEW_COMMENT);
    EXPECT_EQ(inbox[0].subject().name(), comment.name());
    EXPECT_EQ(inbox[0].subject().kind(), common::CONTENT_KIND_COMMENT);
    EXPECT_EQ(inbox[0].thread_root(), question.name());
    EXPECT_EQ(inbox[0].title(), question.title());
    EXPECT_EQ(inbox[0].excerpt(), "Ça marche, merci.");
    EXPECT_EQ(inbox[0].actor().name(), MemberName("chloe"));
  }
  EXPECT_EQ(TypesOf("bruno").size(), 1u);
  EXPECT_TRUE(Inbox("chloe").empty());

  // A reply to Chloé's comment reaches her even if she unfollowed.
  v1::DeleteFollowRequest unfollow;
  unfollow.set_name(FollowOf("chloe", question.name()).name());
  ASSERT_TRUE(DeleteFollow(*context_, Member("chloe"), unfollow).ok());
  v1::Post reply = Reply(common::CONTENT_KIND_COMMENT, answer.name(), "+1");
  reply.set_in_reply_to_comment(comment.name());
  MustCreate(Member("dario"), reply);
  Deliver();
  EXPECT_EQ(TypesOf("chloe"), std::vector<common::NotificationType>{
                                  common::NOTIFICATION_TYPE_NEW_COMMENT});
  EXPECT_TRUE(Inbox("dario").empty());
}

TEST_F(NotificationsTest, AnAcceptedAnswerReachesItsAuthorNotTheAcceptor) {
  const v1::Post question = Ask("alice");
  Deliver();
  ASSERT_TRUE(FollowPost("chloe", question.name()).ok());
  const v1::Post answer = Answer("bruno", question, "Appelez le 3639.");
  Deliver();
  now_ += absl::Seconds(1);
  v1::AcceptAnswerRequest accept;
  accept.set_name(question.name());
  accept.set_answer(answer.name());
  ASSERT_TRUE(AcceptAnswer(*context_, Member("alice"), accept).ok());
  Deliver();
  const std::vector<v1::Notification> inbox = Inbox("bruno");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_ANSWER_ACCEPTED);
  EXPECT_EQ(inbox[0].subject().name(), answer.name());
  EXPECT_EQ(inbox[0].thread_root(), question.name());
  EXPECT_EQ(inbox[0].excerpt(), "Appelez le 3639.");
  EXPECT_EQ(inbox[0].actor().name(), MemberName("alice"));
  EXPECT_EQ(TypesOf("alice"),
            std::vector<common::NotificationType>{
                common::NOTIFICATION_TYPE_NEW_ANSWER})
      << "only the answer, not her own acceptance";
  // Followers of the question learn it has its answer.
  EXPECT_EQ(TypesOf("chloe"), (std::vector<common::NotificationType>{
                                  common::NOTIFICATION_TYPE_ANSWER_ACCEPTED,
                                  common::NOTIFICATION_TYPE_NEW_ANSWER}));
}

TEST_F(NotificationsTest, AnIdeaStatusChangeReachesAuthorVotersAndFollowers) {
  const v1::Post idea = Idea("alice", "Payer avec la montre");
  Deliver();
  ApplyNotify(VoteEvent("bruno", idea));
  ASSERT_TRUE(FollowPost("chloe", idea.name()).ok());
  ASSERT_TRUE(Move(idea, common::IDEA_STATUS_UNDER_REVIEW,
                   "Nos équipes étudient la **faisabilité**.")
                  .ok());
  Deliver();
  for (const char* member : {"alice", "bruno", "chloe"}) {
    std::vector<v1::Notification> inbox = Inbox(member);
    ASSERT_EQ(inbox.size(), 1u) << member;
    EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_IDEA_STATUS_CHANGED);
    EXPECT_EQ(inbox[0].subject().name(), idea.name());
    EXPECT_EQ(inbox[0].idea_status(), common::IDEA_STATUS_UNDER_REVIEW);
    EXPECT_EQ(inbox[0].title(), "Payer avec la montre");
    EXPECT_EQ(inbox[0].excerpt(), "Nos équipes étudient la faisabilité.");
    EXPECT_EQ(inbox[0].actor().name(), MemberName("camille"));
    ASSERT_EQ(inbox[0].actor().badges_size(), 1);
    EXPECT_EQ(inbox[0].actor().badges(0), common::MEMBER_BADGE_STAFF);
  }
  EXPECT_TRUE(Inbox("camille").empty());
  EXPECT_TRUE(Inbox("dario").empty());
}

TEST_F(NotificationsTest, AMergeMovesTheDuplicatesFollowersAndTellsThem) {
  const v1::Post original = Idea("alice", "Payer avec la montre");
  const v1::Post duplicate = Idea("bruno", "Paiement par montre connectée");
  Deliver();
  ASSERT_TRUE(FollowPost("chloe", duplicate.name()).ok());
  ASSERT_TRUE(FollowPost("dario", duplicate.name()).ok());
  ASSERT_TRUE(FollowPost("dario", original.name()).ok());
  v1::MergeIdeasRequest merge;
  merge.set_name(duplicate.name());
  merge.set_target(original.name());
  ASSERT_TRUE(MergeIdeas(*context_, Staff("camille"), merge).ok());
  Deliver();

  for (const char* member : {"bruno", "chloe", "dario"}) {
    std::vector<v1::Notification> inbox = Inbox(member);
    ASSERT_EQ(inbox.size(), 1u) << member;
    EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_POST_MERGED);
    EXPECT_EQ(inbox[0].subject().name(), duplicate.name());
    EXPECT_EQ(inbox[0].idea_status(), common::IDEA_STATUS_DUPLICATE);
    EXPECT_TRUE(absl::StrContains(inbox[0].excerpt(), "Payer avec la montre"))
        << inbox[0].excerpt();
  }
  EXPECT_TRUE(Inbox("alice").empty());
  // The followers now follow the original, once each.
  EXPECT_EQ(FollowOf("chloe", original.name()).reason(),
            v1::FOLLOW_REASON_MERGED);
  EXPECT_EQ(FollowOf("bruno", original.name()).reason(),
            v1::FOLLOW_REASON_MERGED);
  EXPECT_EQ(FollowOf("dario", original.name()).reason(),
            v1::FOLLOW_REASON_EXPLICIT);
  EXPECT_TRUE(FollowOf("chloe", duplicate.name()).name().empty());
  EXPECT_EQ(Read(duplicate.name()).follower_count(), 0);
  EXPECT_EQ(Read(original.name()).follower_count(), 4);

  // ... and hear of the original from now on.
  now_ += absl::Seconds(1);
  ASSERT_TRUE(
      Move(original, common::IDEA_STATUS_UNDER_REVIEW, "À l'étude.").ok());
  Deliver();
  EXPECT_EQ(TypesOf("chloe").size(), 2u);
  EXPECT_EQ(TypesOf("chloe")[0], common::NOTIFICATION_TYPE_IDEA_STATUS_CHANGED);
}

TEST_F(NotificationsTest, NewPostsInFollowedCategoriesAndByFollowedMembers) {
  v1::CreateFollowRequest category;
  category.set_parent(MemberName("chloe"));
  category.mutable_follow()->set_category(SpaceName("idees") +
                                          "/categories/appli");
  ASSERT_TRUE(CreateFollow(*context_, Member("chloe"), category).ok());
  v1::CreateFollowRequest member;
  member.set_parent(MemberName("chloe"));
  member.mutable_follow()->set_member(MemberName("alice"));
  ASSERT_TRUE(CreateFollow(*context_, Member("chloe"), member).ok());
  member.set_parent(MemberName("dario"));
  ASSERT_TRUE(CreateFollow(*context_, Member("dario"), member).ok());

  const v1::Post idea = Idea("alice", "Virements programmés");
  Deliver();
  const std::vector<v1::Notification> inbox = Inbox("chloe");
  ASSERT_EQ(inbox.size(), 1u) << "both follows, one notification";
  EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_NEW_POST_FOLLOWED);
  EXPECT_EQ(inbox[0].subject().name(), idea.name());
  EXPECT_EQ(inbox[0].actor().name(), MemberName("alice"));
  EXPECT_EQ(TypesOf("dario"), std::vector<common::NotificationType>{
                                  common::NOTIFICATION_TYPE_NEW_POST_FOLLOWED});
  EXPECT_TRUE(Inbox("alice").empty());
  // Replies are not new posts.
  Comment("bruno", idea);
  Deliver();
  EXPECT_EQ(TypesOf("dario").size(), 1u);
}

TEST_F(NotificationsTest, ModerationDecisionsReachTheAuthorWhateverThePrefs) {
  // Alice asks for nothing at all about moderation; it is shown anyway.
  v1::NotificationPreferences quiet;
  *quiet.add_settings() = Channels(
      common::NOTIFICATION_TYPE_MODERATION_DECISION, false, false, false);
  absl::StatusOr<v1::NotificationPreferences> saved =
      SetPreferences("alice", quiet, {"settings"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_TRUE(saved->settings(0).inbox()) << "stored as always shown";

  v1::UpdateSpaceRequest premoderate;
  premoderate.mutable_space()->set_name(SpaceName("questions"));
  premoderate.mutable_space()->set_moderation_mode(
      common::MODERATION_MODE_PRE_MODERATION);
  premoderate.mutable_update_mask()->add_paths("moderation_mode");
  ASSERT_TRUE(UpdateSpace(*context_, Admin(), premoderate).ok());
  const v1::Post held = Ask("alice", "En attente");
  ASSERT_EQ(held.state(), common::POST_STATE_PENDING);
  Deliver();
  EXPECT_TRUE(Inbox("alice").empty()) << "nothing decided yet";

  Decide(held, common::POST_STATE_PUBLISHED,
         common::MODERATION_VERDICT_PUBLISH);
  Deliver();
  std::vector<v1::Notification> inbox = Inbox("alice");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].type(), common::NOTIFICATION_TYPE_MODERATION_DECISION);
  EXPECT_EQ(inbox[0].post_state(), common::POST_STATE_PUBLISHED);
  EXPECT_EQ(inbox[0].subject().name(), held.name());
  EXPECT_FALSE(inbox[0].has_actor()) << "moderators are not named";
  EXPECT_TRUE(FollowOf("alice", held.name()).name().size() > 0)
      << "published at last: the author follows it";

  now_ += absl::Seconds(1);
  Decide(Read(held.name()), common::POST_STATE_HIDDEN,
         common::MODERATION_VERDICT_HOLD);
  Deliver();
  inbox = Inbox("alice");
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0].post_state(), common::POST_STATE_HIDDEN);
  ASSERT_EQ(inbox[0].moderation_reasons_size(), 1);
  EXPECT_EQ(inbox[0].moderation_reasons(0),
            common::MODERATION_REASON_OFF_TOPIC);
  EXPECT_EQ(inbox[0].title(), "En attente");

  now_ += absl::Seconds(1);
  Decide(Read(held.name()), common::POST_STATE_PUBLISHED,
         common::MODERATION_VERDICT_PUBLISH);
  Deliver();
  now_ += absl::Seconds(1);
  Decide(Read(held.name()), common::POST_STATE_REMOVED,
         common::MODERATION_VERDICT_REJECT);
  Deliver();
  inbox = Inbox("alice");
  ASSERT_EQ(inbox.size(), 4u);
  EXPECT_EQ(inbox[1].post_state(), common::POST_STATE_PUBLISHED) << "restored";
  EXPECT_EQ(inbox[0].post_state(), common::POST_STATE_REMOVED);
  // Preferences said no e-mail: the events say so too.
  for (const ev::NotificationCreated& created : Announced("alice")) {
    EXPECT_FALSE(created.email());
  }
  EXPECT_TRUE(Inbox("lea").empty());
}

TEST_F(NotificationsTest, PreferencesDecideTheChannels) {
  v1::NotificationPreferences wanted;
  *wanted.add_settings() =
      Channels(common::NOTIFICATION_TYPE_NEW_ANSWER, false, false, true);
  *wanted.add_settings() =
      Channels(common::NOTIFICATION_TYPE_NEW_COMMENT, false, false, false);
  ASSERT_TRUE(SetPreferences("alice", wanted, {"settings"}).ok());
  const v1::Post question = Ask("alice");
  const v1::Post answer = Answer("bruno", question);
  Deliver();
  Comment("chloe", question);
  Deliver();
  // No inbox entry, but a push through the event; the comment not at all.
  EXPECT_TRUE(Inbox("alice").empty());
  EXPECT_EQ(Unread("alice"), 0);
  std::vector<ev::NotificationCreated> announced = Announced("alice");
  ASSERT_EQ(announced.size(), 1u);
  EXPECT_EQ(announced[0].type(), common::NOTIFICATION_TYPE_NEW_ANSWER);
  EXPECT_TRUE(announced[0].push());
  EXPECT_FALSE(announced[0].email());
  // What the inbox does not show is neither counted nor marked.
  v1::MarkNotificationsReadRequest everything;
  everything.set_parent(MemberName("alice"));
  *everything.mutable_read_before_time() = TimeUtil::MicrosecondsToTimestamp(
      absl::ToUnixMicros(now_ + absl::Hours(1)));
  absl::StatusOr<v1::MarkNotificationsReadResponse> marked =
      MarkNotificationsRead(*context_, Member("alice"), everything);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked_count(), 0);

  // A daily digest: nothing is e-mailed at once.
  v1::NotificationPreferences digest;
  digest.set_email_digest(v1::NotificationPreferences::EMAIL_DIGEST_DAILY);
  ASSERT_TRUE(SetPreferences("bruno", digest, {"email_digest"}).ok());
  Comment("chloe", answer);
  Deliver();
  announced = Announced("bruno");
  ASSERT_FALSE(announced.empty());
  EXPECT_FALSE(announced.back().email());
  EXPECT_EQ(Unread("bruno"), static_cast<int>(announced.size()));
}

TEST_F(NotificationsTest, PreferencesHaveAnEtagAndAMask) {
  v1::GetNotificationPreferencesRequest get;
  get.set_name(
      absl::StrCat("tenants/", tenant_, "/members/me/notificationPreferences"));
  absl::StatusOr<v1::NotificationPreferences> defaults =
      GetNotificationPreferences(*context_, Member("alice"), get);
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->name(), MemberName("alice") + "/notificationPreferences");
  EXPECT_EQ(defaults->settings_size(), 0);
  EXPECT_FALSE(defaults->etag().empty());

  v1::NotificationPreferences wanted;
  *wanted.add_settings() =
      Channels(common::NOTIFICATION_TYPE_NEW_COMMENT, true, false, true);
  wanted.set_email_digest(v1::NotificationPreferences::EMAIL_DIGEST_WEEKLY);
  wanted.set_etag(defaults->etag());
  absl::StatusOr<v1::NotificationPreferences> saved =
      SetPreferences("alice", wanted, {"settings"});
  ASSERT_TRUE(saved.ok()) << saved.status();
  EXPECT_EQ(saved->settings_size(), 1);
  EXPECT_EQ(saved->email_digest(),
            v1::NotificationPreferences::EMAIL_DIGEST_UNSPECIFIED)
      << "outside the mask";
  EXPECT_NE(saved->etag(), defaults->etag());
  EXPECT_TRUE(saved->has_update_time());
  // The old etag is stale.
  absl::Status stale =
      SetPreferences("alice", wanted, {"email_digest"}).status();
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale), "ETAG_MISMATCH");
  wanted.set_etag(saved->etag());
  absl::StatusOr<v1::NotificationPreferences> all =
      SetPreferences("alice", wanted, {"*"});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(all->email_digest(),
            v1::NotificationPreferences::EMAIL_DIGEST_WEEKLY);
  EXPECT_EQ(GetNotificationPreferences(*context_, Member("alice"), get)->etag(),
            all->etag());

  const auto expect_invalid = [](const absl::Status& status,
                                 const std::string& field) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), field)) << status;
  };
  v1::NotificationPreferences twice;
  *twice.add_settings() =
      Channels(common::NOTIFICATION_TYPE_NEW_COMMENT, true, true, true);
  *twice.add_settings() =
      Channels(common::NOTIFICATION_TYPE_NEW_COMMENT, true, false, true);
  expect_invalid(SetPreferences("alice", twice, {"settings"}).status(),
                 "notification_preferences.settings[1].type");
  v1::NotificationPreferences untyped;
  untyped.add_settings()->set_inbox(true);
  expect_invalid(SetPreferences("alice", untyped, {"settings"}).status(),
                 "notification_preferences.settings[0].type");
  v1::NotificationPreferences digest;
  digest.set_email_digest(
      static_cast<v1::NotificationPreferences::EmailDigest>(42));
  expect_invalid(SetPreferences("alice", digest, {"email_digest"}).status(),
                 "notification_preferences.email_digest");
  expect_invalid(SetPreferences("alice", digest, {"etag"}).status(),
                 "update_mask");
  expect_invalid(SetPreferences("alice", digest, {}).status(), "update_mask");
  // Another member's preferences are theirs alone.
  v1::UpdateNotificationPreferencesRequest foreign;
  foreign.mutable_notification_preferences()->set_name(
      MemberName("alice") + "/notificationPreferences");
  foreign.mutable_update_mask()->add_paths("settings");
  EXPECT_EQ(UpdateNotificationPreferences(*context_, Member("bruno"), foreign)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  get.set_name(MemberName("alice") + "/notificationPreferences");
  EXPECT_EQ(GetNotificationPreferences(*context_, Admin(), get).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(GetNotificationPreferences(*context_, Member("alice"), get)
                ->email_digest(),
            v1::NotificationPreferences::EMAIL_DIGEST_WEEKLY)
      << "nothing refused was stored";
}

TEST_F(NotificationsTest, ApplyingAnEventTwiceAddsNothing) {
  const v1::Post question = Ask("alice");
  ASSERT_TRUE(FollowPost("chloe", question.name()).ok());
  const v1::Post answer = Answer("bruno", question);
  Comment("dario", answer);
  const v1::Post idea = Idea("alice", "Carte virtuelle");
  ApplyNotify(VoteEvent("bruno", idea));
  ASSERT_TRUE(Move(idea, common::IDEA_STATUS_UNDER_REVIEW, "À l'étude.").ok());
  Deliver();
  const int rows = NotificationRows();
  const size_t announced = Announced("alice").size();
  ASSERT_GT(rows, 4);
  const int question_followers = Read(question.name()).follower_count();

  delivered_ = 0;  // the whole outbox once more
  Deliver();
  EXPECT_EQ(NotificationRows(), rows);
  EXPECT_EQ(Announced("alice").size(), announced);
  EXPECT_EQ(Read(question.name()).follower_count(), question_followers);
}

TEST_F(NotificationsTest, TheInboxPagesNewestFirstAndIsMarkedRead) {
  const v1::Post question = Ask("alice");
  Deliver();
  std::vector<std::string> answers;
  for (const char* member : {"bruno", "chloe", "dario", "camille", "bruno"}) {
    now_ += absl::Seconds(1);
    answers.insert(answers.begin(), Answer(member, question).name());
    Deliver();
  }
  EXPECT_EQ(Unread("alice"), 5);

  std::vector<v1::Notification> paged;
  v1::ListNotificationsRequest request;
  request.set_parent(MemberName("alice"));
  request.set_page_size(2);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListNotificationsResponse> page =
        ListNotifications(*context_, Member("alice"), request);
    ASSERT_TRUE(page.ok()) << page.status();
    EXPECT_EQ(page->unread_count(), 5);
    for (const v1::Notification& n : page->notifications()) paged.push_back(n);
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(paged.size(), 5u);
  for (size_t i = 0; i < paged.size(); ++i) {
    EXPECT_EQ(paged[i].subject().name(), answers[i]) << i;
  }

  v1::MarkNotificationsReadRequest mark;
  mark.set_parent(absl::StrCat("tenants/", tenant_, "/members/me"));
  mark.add_names(paged[0].name());
  mark.add_names(paged[1].name());
  absl::StatusOr<v1::MarkNotificationsReadResponse> marked =
      MarkNotificationsRead(*context_, Member("alice"), mark);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked_count(), 2);
  EXPECT_EQ(marked->unread_count(), 3);
  marked = MarkNotificationsRead(*context_, Member("alice"), mark);
  EXPECT_EQ(marked->marked_count(), 0) << "already read";
  EXPECT_TRUE(Inbox("alice")[0].read());

  v1::ListNotificationsRequest unread;
  unread.set_parent(MemberName("alice"));
  unread.set_unread_only(true);
  absl::StatusOr<v1::ListNotificationsResponse> listed =
      ListNotifications(*context_, Member("alice"), unread);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->notifications_size(), 3);
  EXPECT_EQ(listed->notifications(0).name(), paged[2].name());

  // Everything before the fourth one's time: the two oldest.
  v1::MarkNotificationsReadRequest before;
  before.set_parent(MemberName("alice"));
  *before.mutable_read_before_time() = paged[2].create_time();
  marked = MarkNotificationsRead(*context_, Member("alice"), before);
  ASSERT_TRUE(marked.ok()) << marked.status();
  EXPECT_EQ(marked->marked_count(), 2);
  EXPECT_EQ(marked->unread_count(), 1);
  EXPECT_EQ(Unread("alice"), 1);
}

TEST_F(NotificationsTest, MarkingReadNamesTheFieldAndOnlyOnesOwn) {
  const v1::Post question = Ask("alice");
  ASSERT_TRUE(FollowPost("chloe", question.name()).ok());
  Answer("bruno", question);
  Deliver();
  const std::string chloes = Inbox("chloe").at(0).name();
  const auto mark = [&](const v1::MarkNotificationsReadRequest& request) {
    return MarkNotificationsRead(*context_, Member("alice"), request).status();
  };
  const auto expect_invalid = [](const absl::Status& status,
                                 const std::string& field) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), field)) << status;
  };
  v1::MarkNotificationsReadRequest request;
  request.set_parent(MemberName("alice"));
  expect_invalid(mark(request), "names");  // neither
  request.add_names(Inbox("alice").at(0).name());
  *request.mutable_read_before_time() = TimeUtil::GetCurrentTime();
  expect_invalid(mark(request), "names");  // both
  request.clear_read_before_time();
  for (int i = 0; i < 100; ++i) {
    request.add_names(MemberName("alice") + "/notifications/n" +
                      std::to_string(i));
  }
  expect_invalid(mark(request), "names");  // 101
  v1::MarkNotificationsReadRequest foreign;
  foreign.set_parent(MemberName("alice"));
  foreign.add_names(chloes);
  expect_invalid(mark(foreign), "names[0]");
  foreign.set_names(0, "notifications/x");
  expect_invalid(mark(foreign), "names[0]");
  EXPECT_EQ(Unread("chloe"), 1) << "nothing of Chloé's was touched";
  EXPECT_EQ(Unread("alice"), 1);

  // Nobody else reads or marks a member's inbox, admins and other tenants
  // included.
  v1::ListNotificationsRequest list;
  list.set_parent(MemberName("chloe"));
  EXPECT_EQ(ListNotifications(*context_, Member("alice"), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ListNotifications(*context_, Admin(), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal stranger = Member("chloe");
  stranger.tenant = "elsewhere";
  EXPECT_EQ(ListNotifications(*context_, stranger, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::CountUnreadNotificationsRequest count;
  count.set_parent(MemberName("chloe"));
  EXPECT_EQ(CountUnreadNotifications(*context_, Member("alice"), count)
                .status()
                .code(),
            absl::StatusCode::kPermissionDenied);
  foreign.set_parent(MemberName("chloe"));
  foreign.set_names(0, chloes);
  EXPECT_EQ(mark(foreign).code(), absl::StatusCode::kPermissionDenied);
  list.set_parent("tenants/x/members");
  expect_invalid(ListNotifications(*context_, Member("alice"), list).status(),
                 "parent");
}

TEST_F(NotificationsTest, NotificationsAreKeptOneHundredEightyDays) {
  const v1::Post question = Ask("alice");
  Deliver();
  Answer("bruno", question);
  Deliver();
  now_ += absl::Hours(24 * 100);
  Answer("chloe", question);
  Deliver();
  EXPECT_EQ(Inbox("alice").size(), 2u);

  now_ += absl::Hours(24 * 81);  // the first is 181 days old
  absl::StatusOr<int> pruned = PruneNotifications(*context_, 1000);
  ASSERT_TRUE(pruned.ok()) << pruned.status();
  EXPECT_EQ(*pruned, 1);
  const std::vector<v1::Notification> inbox = Inbox("alice");
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].actor().name(), MemberName("chloe"));
  EXPECT_EQ(*PruneNotifications(*context_, 1000), 0);
}

TEST_F(NotificationsTest, AnErasedMembersFollowsAndInboxGoAndTheirNameToo) {
  const v1::Post question = Ask("alice");
  const v1::Post idea = Idea("chloe", "Alertes de solde");
  Deliver();
  ASSERT_TRUE(FollowPost("bruno", idea.name()).ok());
  v1::CreateFollowRequest member;
  member.set_parent(MemberName("dario"));
  member.mutable_follow()->set_member(MemberName("bruno"));
  ASSERT_TRUE(CreateFollow(*context_, Member("dario"), member).ok());
  Answer("bruno", question);
  ASSERT_TRUE(Move(idea, common::IDEA_STATUS_UNDER_REVIEW, "À l'étude.").ok());
  Deliver();
  ASSERT_EQ(Inbox("bruno").size(), 1u);
  ASSERT_EQ(Inbox("alice").at(0).actor().name(), MemberName("bruno"));
  EXPECT_EQ(Read(question.name()).follower_count(), 2);
  EXPECT_EQ(Read(idea.name()).follower_count(), 2);

  // What the erasure handler does with identity's member.erased.
  ev::Event erased = IdentityEvent(tenant_);
  erased.mutable_member_erased()->set_member(MemberName("bruno"));
  Apply(erased);
  absl::Status forgotten =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        return ForgetMemberFollowsAndNotifications(tx, tenant_, "bruno");
      });
  ASSERT_TRUE(forgotten.ok()) << forgotten;

  EXPECT_TRUE(FollowsOf("bruno").empty());
  EXPECT_TRUE(Inbox("bruno").empty());
  EXPECT_TRUE(FollowsOf("dario").empty()) << "nobody follows an erased member";
  EXPECT_EQ(Read(question.name()).follower_count(), 1);
  EXPECT_EQ(Read(idea.name()).follower_count(), 1);
  const v1::Notification shown = Inbox("alice").at(0);
  EXPECT_TRUE(shown.actor().erased());
  EXPECT_TRUE(shown.actor().name().empty());
  EXPECT_TRUE(shown.actor().display_name().empty());
  // Events still in flight about them notify them of nothing.
  ApplyNotify(VoteEvent("bruno", idea));
  EXPECT_TRUE(FollowsOf("bruno").empty());
  ASSERT_TRUE(Move(idea, common::IDEA_STATUS_PLANNED, "Prévu.").ok());
  Deliver();
  EXPECT_TRUE(Inbox("bruno").empty());
  EXPECT_TRUE(Announced("bruno").size() == 1u) << "only the one from before";
}

}  // namespace
}  // namespace agora::content
