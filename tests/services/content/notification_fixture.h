// Follows and notifications on the content fixture: content's own outbox
// events are delivered to ApplyFollowAndNotifyEvent in outbox order, each
// in its own transaction, as the "content-notifications" consumer does;
// ranking's and moderation's events are made here the way those services
// announce them.
#ifndef AGORA_TESTS_SERVICES_CONTENT_NOTIFICATION_FIXTURE_H_
#define AGORA_TESTS_SERVICES_CONTENT_NOTIFICATION_FIXTURE_H_

#include <string>
#include <vector>

#include "services/content/domain/answers.h"
#include "services/content/domain/follows.h"
#include "services/content/domain/ideas.h"
#include "services/content/domain/notification_fanout.h"
#include "services/content/domain/notifications.h"
#include "services/content/domain/post_reads.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {

class NotificationTest : public ContentTest {
 protected:
  void SetUp() override {
    ContentTest::SetUp();
    MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
    MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
    MakeCategory("idees", "appli");
    AnnounceMember("alice", "Alice Martin");
    AnnounceMember("bruno", "Bruno");
    AnnounceMember("chloe", "Chloé");
    AnnounceMember("dario", "Dario");
    AnnounceMember("camille", "Camille");
  }

  std::string MemberName(const std::string& id) const {
    return absl::StrCat("tenants/", tenant_, "/members/", id);
  }

  // --- Delivery of events. ---

  // Applies every outbox event written since the last call, in order;
  // returns how many (notification.created included: they are ignored).
  int Deliver() {
    int delivered = 0;
    while (true) {
      std::vector<std::pair<int64_t, ev::Event>> batch;
      absl::Status read =
          pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
            batch.clear();
            for (const pqxx::row& row :
                 tx.exec_params("SELECT id, payload FROM outbox WHERE id > $1"
                                " ORDER BY id",
                                delivered_)) {
              ev::Event event;
              event.ParseFromString(pqxx::binarystring(row[1]).str());
              batch.emplace_back(row[0].as<int64_t>(), std::move(event));
            }
            return absl::OkStatus();
          });
      EXPECT_TRUE(read.ok()) << read;
      if (batch.empty()) return delivered;
      for (const auto& [id, event] : batch) {
        ApplyNotify(event);
        delivered_ = id;
        ++delivered;
      }
    }
  }

  void ApplyNotify(const ev::Event& event) {
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          return ApplyFollowAndNotifyEvent(*context_, tx, event);
        });
    ASSERT_TRUE(status.ok()) << status;
  }

  // What ranking announces when `voter` votes on `post`.
  ev::Event VoteEvent(const std::string& voter, const v1::Post& post) {
    common::Actor actor;
    actor.set_type(common::ACTOR_TYPE_MEMBER);
    actor.set_name(MemberName(voter));
    ev::Event event = events::NewEvent(ev::PRODUCER_RANKING, tenant_, actor,
                                       post.name(), absl::Now());
    ev::VoteCast& vote = *event.mutable_vote_cast();
    vote.mutable_target()->set_kind(post.kind());
    vote.mutable_target()->set_name(post.name());
    vote.set_target_author(post.author().name());
    vote.set_voter(MemberName(voter));
    vote.set_axis(common::VOTE_AXIS_PRIMARY);
    vote.set_choice(common::VOTE_CHOICE_UP);
    vote.set_weight(1.0);
    return event;
  }

  // What moderation announces when moderator lea decides.
  void Decide(const v1::Post& post, common::PostState state,
              common::ModerationVerdict verdict) {
    common::Actor moderator;
    moderator.set_type(common::ACTOR_TYPE_MEMBER);
    moderator.set_name(MemberName("lea"));
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
    Apply(event);
  }

  // --- Posts. ---

  v1::Post MustCreate(const auth::Principal& author, const v1::Post& post) {
    absl::StatusOr<v1::Post> created = Create(author, post);
    EXPECT_TRUE(created.ok()) << created.status();
    return created.value_or(v1::Post());
  }
  v1::Post Ask(const std::string& author,
               const std::string& title = "Plafond de ma carte ?") {
    return MustCreate(Member(author),
                      Question(SpaceName("questions"), title,
                               "Comment relever le plafond de paiement ?"));
  }
  v1::Post Answer(const std::string& author, const v1::Post& question,
                  const std::string& body = "Dans l'appli, rubrique Carte.") {
    return MustCreate(Member(author), Reply(common::CONTENT_KIND_ANSWER,
                                            question.name(), body));
  }
  v1::Post Comment(const std::string& author, const v1::Post& parent,
                   const std::string& body = "Merci pour la réponse !") {
    return MustCreate(Member(author),
                      Reply(common::CONTENT_KIND_COMMENT, parent.name(), body));
  }
  v1::Post Idea(const std::string& author, const std::string& title) {
    v1::Post idea;
    idea.set_kind(common::CONTENT_KIND_IDEA);
    idea.set_space(SpaceName("idees"));
    idea.set_category(SpaceName("idees") + "/categories/appli");
    idea.set_title(title);
    idea.set_body("Ce serait utile pour tout le monde.");
    return MustCreate(Member(author), idea);
  }
  // A post as a moderator reads it (counters included).
  v1::Post Read(const std::string& name) {
    v1::GetPostRequest request;
    request.set_name(name);
    const auth::Principal moderator = Moderator("lea");
    absl::StatusOr<v1::Post> post = GetPost(*context_, &moderator, request);
    EXPECT_TRUE(post.ok()) << post.status();
    return post.value_or(v1::Post());
  }

  // --- Follows and the inbox. ---

  absl::StatusOr<v1::Follow> FollowPost(const std::string& member,
                                        const std::string& post) {
    v1::CreateFollowRequest request;
    request.set_parent(MemberName(member));
    request.mutable_follow()->set_post(post);
    return CreateFollow(*context_, Member(member), request);
  }

  std::vector<v1::Follow> FollowsOf(const std::string& member) {
    v1::ListFollowsRequest request;
    request.set_parent(MemberName(member));
    request.set_page_size(100);
    absl::StatusOr<v1::ListFollowsResponse> listed =
        ListFollows(*context_, Member(member), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->follows().begin(), listed->follows().end()};
  }

  // The follow of `member` on `target`, or an empty follow.
  v1::Follow FollowOf(const std::string& member, const std::string& target) {
    v1::ListFollowsRequest request;
    request.set_parent(MemberName(member));
    request.set_target(target);
    absl::StatusOr<v1::ListFollowsResponse> listed =
        ListFollows(*context_, Member(member), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok() || listed->follows().empty()) return v1::Follow();
    EXPECT_EQ(listed->follows_size(), 1);
    return listed->follows(0);
  }

  std::vector<v1::Notification> Inbox(const std::string& member) {
    v1::ListNotificationsRequest request;
    request.set_parent(MemberName(member));
    request.set_page_size(100);
    absl::StatusOr<v1::ListNotificationsResponse> listed =
        ListNotifications(*context_, Member(member), request);
    EXPECT_TRUE(listed.ok()) << listed.status();
    if (!listed.ok()) return {};
    return {listed->notifications().begin(), listed->notifications().end()};
  }

  // The notification.created events sent to `member`, in order.
  std::vector<ev::NotificationCreated> Announced(const std::string& member) {
    std::vector<ev::NotificationCreated> announced;
    absl::Status status =
        pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
          announced.clear();
          for (const pqxx::row& row :
               tx.exec("SELECT payload FROM outbox WHERE event_type ="
                       " 'notification_created' ORDER BY id")) {
            ev::Event event;
            event.ParseFromString(pqxx::binarystring(row[0]).str());
            if (event.notification_created().recipient() ==
                MemberName(member)) {
              announced.push_back(event.notification_created());
            }
          }
          return absl::OkStatus();
        });
    EXPECT_TRUE(status.ok()) << status;
    return announced;
  }

  // Types of a member's inbox, newest first.
  std::vector<common::NotificationType> TypesOf(const std::string& member) {
    std::vector<common::NotificationType> types;
    for (const v1::Notification& notification : Inbox(member)) {
      types.push_back(notification.type());
    }
    return types;
  }

  int64_t delivered_ = 0;
};

}  // namespace agora::content

#endif  // AGORA_TESTS_SERVICES_CONTENT_NOTIFICATION_FIXTURE_H_
