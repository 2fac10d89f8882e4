#include "services/content/domain/notification_fanout.h"

#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/api/resource_names.h"
#include "libs/events/typed_event.h"
#include "services/content/domain/follows.h"
#include "services/content/domain/notifications.h"
#include "services/content/domain/publication.h"
#include "services/content/repository/follow_store.h"
#include "services/content/repository/notification_store.h"
#include "services/content/repository/post_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;

// The id of `name` when it is `tenants/{tenant}/{collection}/{id}`, else ""
// (another tenant's, a service account where a member is expected, the
// empty name of an erased author).
std::string IdIn(const std::string& tenant, absl::string_view collection,
                 const std::string& name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "tenants" || parts[1] != tenant ||
      parts[2] != collection || !api::IsResourceId(parts[3])) {
    return "";
  }
  return std::string(parts[3]);
}

std::string MemberIdIn(const std::string& tenant, const std::string& name) {
  return IdIn(tenant, "members", name);
}
std::string PostIdIn(const std::string& tenant, const std::string& name) {
  return IdIn(tenant, "posts", name);
}

// "space/category" of a category's resource name in `tenant`, or "".
std::string CategoryKeyIn(const std::string& tenant, const std::string& name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 6 || parts[0] != "tenants" || parts[1] != tenant ||
      parts[2] != "spaces" || parts[4] != "categories") {
    return "";
  }
  return absl::StrCat(parts[3], "/", parts[5]);
}

// Who did the act, as a notification shows it.
void SetActor(const std::string& tenant, const std::string& name,
              NewNotification& notification) {
  if (std::string member = MemberIdIn(tenant, name); !member.empty()) {
    notification.actor_kind = NotificationActorKind::kMember;
    notification.actor = std::move(member);
  } else if (std::string service = IdIn(tenant, "serviceAccounts", name);
             !service.empty()) {
    notification.actor_kind = NotificationActorKind::kServiceAccount;
    notification.actor = std::move(service);
  }
}

// One event's notifications being gathered: recipients, minus whoever did
// the act.
class Fanout {
 public:
  Fanout(ContentContext& context, pqxx::transaction_base& tx,
         const ev::Event& event, std::string tenant)
      : context_(context), tx_(tx), event_(event), tenant_(std::move(tenant)) {
    // Never the one who acted, whatever role they had in the event.
    Exclude(event.actor().name());
  }

  void Exclude(const std::string& member_name) {
    if (std::string id = MemberIdIn(tenant_, member_name); !id.empty()) {
      excluded_.insert(std::move(id));
    }
  }
  void AddMember(const std::string& member_name) {
    if (std::string id = MemberIdIn(tenant_, member_name); !id.empty()) {
      recipients_.insert(std::move(id));
    }
  }
  void AddFollowersOf(const FollowTarget& target) {
    if (target.key.empty()) return;
    for (std::string& member : FollowersOf(tx_, tenant_, target)) {
      recipients_.insert(std::move(member));
    }
  }

  // Stores one notification per recipient (those whose preferences want
  // it somewhere) and announces each.
  absl::Status Send(NewNotification notification) {
    std::vector<std::string> members;
    for (const std::string& member : recipients_) {
      if (excluded_.count(member) == 0) members.push_back(member);
    }
    if (members.empty()) return absl::OkStatus();
    notification.source_event = event_.id();
    notification.create_time = context_.now();
    const absl::flat_hash_map<std::string, RecipientFacts> facts =
        FindRecipientFacts(tx_, tenant_, members);
    std::vector<NotificationDelivery> deliveries;
    absl::flat_hash_map<std::string, NotificationChannels> channels;
    for (const std::string& member : members) {
      auto fact = facts.find(member);
      if (fact != facts.end() && fact->second.erased) continue;
      const NotificationChannels wanted =
          ChannelsFor(fact != facts.end() ? fact->second.preferences
                                          : v1::NotificationPreferences(),
                      notification.type);
      if (!wanted.inbox && !wanted.email && !wanted.push) continue;
      channels[member] = wanted;
      deliveries.push_back({member, NewContentId(), wanted.inbox});
    }
    const std::vector<NotificationDelivery> inserted =
        InsertNotifications(tx_, tenant_, notification, deliveries);
    if (inserted.empty()) return absl::OkStatus();

    std::string default_language;
    std::vector<events::EventRecord> records;
    for (const NotificationDelivery& delivery : inserted) {
      const std::string name =
          NotificationResourceName(tenant_, delivery.member, delivery.id);
      ev::Event announced =
          NewContentEvent(context_, tenant_, event_.actor(), name);
      ev::NotificationCreated& created =
          *announced.mutable_notification_created();
      created.set_notification(name);
      created.set_recipient(api::MemberResourceName(tenant_, delivery.member));
      created.set_type(notification.type);
      if (!notification.subject.empty()) {
        created.mutable_subject()->set_kind(notification.subject_kind);
        created.mutable_subject()->set_name(
            PostResourceName(tenant_, notification.subject));
      }
      created.set_title(notification.title);
      created.set_excerpt(notification.excerpt);
      std::string language;
      if (auto fact = facts.find(delivery.member); fact != facts.end()) {
        language = fact->second.language;
      }
      if (language.empty()) {
        if (default_language.empty()) {
          std::optional<TenantFacts> tenant = FindTenantFacts(tx_, tenant_);
          default_language =
              tenant.has_value() ? tenant->default_language : "en";
        }
        language = default_language;
      }
      created.set_language(language);
      const NotificationChannels& wanted = channels[delivery.member];
      created.set_email(wanted.email);
      created.set_push(wanted.push);
      absl::StatusOr<events::EventRecord> record = events::ToRecord(announced);
      if (!record.ok()) return record.status();
      records.push_back(*std::move(record));
    }
    return context_.outbox.AppendAll(tx_, records);
  }

 private:
  ContentContext& context_;
  pqxx::transaction_base& tx_;
  const ev::Event& event_;
  const std::string tenant_;
  std::set<std::string> recipients_;
  std::set<std::string> excluded_;
};

// The post's subject fields, title (the thread's for replies) and thread.
void DescribePost(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& post_id, NewNotification& notification) {
  std::optional<StoredPost> post = FindPost(tx, tenant, post_id);
  notification.subject = post_id;
  if (!post.has_value()) return;
  notification.subject_kind = post->post.kind();
  notification.title = post->post.title();
  if (!post->thread_root.empty() && post->thread_root != post->id) {
    notification.thread_root = post->thread_root;
    if (std::optional<StoredPost> root =
            FindPost(tx, tenant, post->thread_root)) {
      notification.title = root->post.title();
    }
  }
}

absl::Status OnPublished(ContentContext& context, pqxx::transaction_base& tx,
                         const std::string& tenant, const ev::Event& event) {
  const ev::PostPublished& published = event.post_published();
  const std::string post = PostIdIn(tenant, published.post().name());
  if (post.empty()) return absl::OkStatus();
  const std::string author = MemberIdIn(tenant, published.author());
  std::string root = PostIdIn(tenant, published.thread_root());
  if (root.empty()) root = post;
  const bool top_level = root == post;
  const common::ContentKind kind = published.post().kind();
  const bool first = !published.republished();
  const absl::Time now = context.now();

  if (first && !author.empty()) {
    FollowAutomatically(
        tx, tenant, author, FollowTarget::Post(top_level ? post : root),
        top_level ? v1::FOLLOW_REASON_AUTHOR : v1::FOLLOW_REASON_REPLIED, now);
  }

  // Published by someone else's act: a moderator's review, a rescreening,
  // a restore. The author learns their post's fate.
  if (!author.empty() && event.actor().name() != published.author()) {
    Fanout fanout(context, tx, event, tenant);
    fanout.AddMember(published.author());
    NewNotification notification;
    notification.type = common::NOTIFICATION_TYPE_MODERATION_DECISION;
    notification.subject = post;
    notification.subject_kind = kind;
    if (!top_level) notification.thread_root = root;
    notification.title = published.title();
    notification.excerpt = published.excerpt();
    notification.post_state = common::POST_STATE_PUBLISHED;
    if (absl::Status s = fanout.Send(std::move(notification)); !s.ok()) {
      return s;
    }
  }
  if (!first) return absl::OkStatus();

  NewNotification notification;
  notification.subject = post;
  notification.subject_kind = kind;
  notification.title = published.title();
  notification.excerpt = published.excerpt();
  SetActor(tenant, published.author(), notification);
  Fanout fanout(context, tx, event, tenant);
  fanout.Exclude(published.author());
  if (kind == common::CONTENT_KIND_ANSWER) {
    notification.type = common::NOTIFICATION_TYPE_NEW_ANSWER;
    notification.thread_root = root;
    std::string question = PostIdIn(tenant, published.in_reply_to());
    fanout.AddFollowersOf(
        FollowTarget::Post(question.empty() ? root : question));
    return fanout.Send(std::move(notification));
  }
  if (!top_level) return absl::OkStatus();  // comments: comment.created
  notification.type = common::NOTIFICATION_TYPE_NEW_POST_FOLLOWED;
  if (std::string category = CategoryKeyIn(tenant, published.category());
      !category.empty()) {
    fanout.AddFollowersOf({FollowTarget::kCategory, category});
  }
  if (!author.empty()) fanout.AddFollowersOf(FollowTarget::Member(author));
  return fanout.Send(std::move(notification));
}

absl::Status OnComment(ContentContext& context, pqxx::transaction_base& tx,
                       const std::string& tenant, const ev::Event& event) {
  const ev::CommentCreated& comment = event.comment_created();
  const std::string id = PostIdIn(tenant, comment.comment());
  if (id.empty()) return absl::OkStatus();
  Fanout fanout(context, tx, event, tenant);
  fanout.Exclude(comment.author());
  fanout.AddFollowersOf(
      FollowTarget::Post(PostIdIn(tenant, comment.thread_root())));
  fanout.AddMember(comment.in_reply_to_author());
  // A reply to a comment reaches that comment's author too.
  if (std::string replied = PostIdIn(tenant, comment.in_reply_to_comment());
      !replied.empty()) {
    if (std::optional<StoredPost> parent = FindPost(tx, tenant, replied)) {
      fanout.AddMember(parent->post.author().name());
    }
  }
  NewNotification notification;
  notification.type = common::NOTIFICATION_TYPE_NEW_COMMENT;
  DescribePost(tx, tenant, id, notification);
  notification.subject_kind = common::CONTENT_KIND_COMMENT;
  notification.excerpt = comment.excerpt();
  SetActor(tenant, comment.author(), notification);
  return fanout.Send(std::move(notification));
}

absl::Status OnAccepted(ContentContext& context, pqxx::transaction_base& tx,
                        const std::string& tenant, const ev::Event& event) {
  const ev::AnswerAccepted& accepted = event.answer_accepted();
  const std::string answer = PostIdIn(tenant, accepted.answer());
  if (answer.empty()) return absl::OkStatus();
  Fanout fanout(context, tx, event, tenant);
  fanout.Exclude(accepted.accepted_by());
  fanout.AddMember(accepted.answer_author());
  fanout.AddFollowersOf(
      FollowTarget::Post(PostIdIn(tenant, accepted.question())));
  NewNotification notification;
  notification.type = common::NOTIFICATION_TYPE_ANSWER_ACCEPTED;
  DescribePost(tx, tenant, answer, notification);
  if (std::optional<StoredPost> post = FindPost(tx, tenant, answer)) {
    notification.excerpt = ExcerptOf(post->post.body());
  }
  SetActor(tenant, accepted.accepted_by(), notification);
  return fanout.Send(std::move(notification));
}

absl::Status OnStatusChanged(ContentContext& context,
                             pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const ev::Event& event) {
  const ev::IdeaStatusChanged& changed = event.idea_status_changed();
  const std::string idea = PostIdIn(tenant, changed.idea());
  if (idea.empty()) return absl::OkStatus();
  Fanout fanout(context, tx, event, tenant);
  fanout.Exclude(changed.changed_by());
  fanout.AddMember(changed.idea_author());
  fanout.AddFollowersOf(FollowTarget::Post(idea));
  NewNotification notification;
  notification.type = common::NOTIFICATION_TYPE_IDEA_STATUS_CHANGED;
  notification.subject = idea;
  notification.subject_kind = common::CONTENT_KIND_IDEA;
  notification.title = changed.title();
  notification.excerpt = ExcerptOf(changed.official_response());
  notification.idea_status = changed.status();
  SetActor(tenant, changed.changed_by(), notification);
  return fanout.Send(std::move(notification));
}

absl::Status OnMerged(ContentContext& context, pqxx::transaction_base& tx,
                      const std::string& tenant, const ev::Event& event) {
  const ev::IdeasMerged& merged = event.ideas_merged();
  const std::string source = PostIdIn(tenant, merged.source());
  const std::string target = PostIdIn(tenant, merged.target());
  if (source.empty() || target.empty()) return absl::OkStatus();
  Fanout fanout(context, tx, event, tenant);
  fanout.Exclude(merged.merged_by());
  fanout.AddMember(merged.source_author());
  // Told before they move (applied again, there is nobody left to move and
  // the authors' notifications exist already).
  fanout.AddFollowersOf(FollowTarget::Post(source));
  MovePostFollowers(tx, tenant, source, target, context.now());
  NewNotification notification;
  notification.type = common::NOTIFICATION_TYPE_POST_MERGED;
  notification.subject = source;
  notification.subject_kind = common::CONTENT_KIND_IDEA;
  notification.idea_status = common::IDEA_STATUS_DUPLICATE;
  if (std::optional<StoredPost> duplicate = FindPost(tx, tenant, source)) {
    notification.title = duplicate->post.title();
    notification.excerpt =
        ExcerptOf(duplicate->post.idea().official_response().body());
  }
  SetActor(tenant, merged.merged_by(), notification);
  return fanout.Send(std::move(notification));
}

// A moderation decision taking the author's post down. Moderators are not
// named to the author: the decision is the community's.
absl::Status OnTakenDown(ContentContext& context, pqxx::transaction_base& tx,
                         const std::string& tenant, const ev::Event& event,
                         const common::TargetRef& post,
                         const std::string& author, common::PostState state,
                         const google::protobuf::RepeatedField<int>& reasons) {
  const std::string id = PostIdIn(tenant, post.name());
  if (id.empty()) return absl::OkStatus();
  Fanout fanout(context, tx, event, tenant);
  fanout.AddMember(author);
  NewNotification notification;
  notification.type = common::NOTIFICATION_TYPE_MODERATION_DECISION;
  DescribePost(tx, tenant, id, notification);
  notification.subject_kind = post.kind();
  notification.post_state = state;
  notification.moderation_reasons.assign(reasons.begin(), reasons.end());
  return fanout.Send(std::move(notification));
}

absl::Status OnVote(ContentContext& context, pqxx::transaction_base& tx,
                    const std::string& tenant, const ev::Event& event) {
  const ev::VoteCast& vote = event.vote_cast();
  const std::string voter = MemberIdIn(tenant, vote.voter());
  const std::string post = PostIdIn(tenant, vote.target().name());
  if (voter.empty() || post.empty()) return absl::OkStatus();
  // Ranking may know posts content has since forgotten; follow only ours.
  if (tx.exec_params("SELECT 1 FROM posts WHERE tenant = $1 AND id = $2",
                     tenant, post)
          .empty()) {
    return absl::OkStatus();
  }
  FollowAutomatically(tx, tenant, voter, FollowTarget::Post(post),
                      v1::FOLLOW_REASON_VOTED, context.now());
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyFollowAndNotifyEvent(ContentContext& context,
                                       pqxx::transaction_base& tx,
                                       const ev::Event& event) {
  switch (event.payload_case()) {
    case ev::Event::kPostPublished:
    case ev::Event::kCommentCreated:
    case ev::Event::kAnswerAccepted:
    case ev::Event::kIdeaStatusChanged:
    case ev::Event::kIdeasMerged:
    case ev::Event::kPostHidden:
    case ev::Event::kPostRemoved:
    case ev::Event::kVoteCast:
      break;
    default:
      return absl::OkStatus();
  }
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  // Votes only ever add a follow, which cannot double: not worth a record
  // per vote.
  if (event.payload_case() != ev::Event::kVoteCast) {
    if (event.id().empty()) return absl::InvalidArgumentError("id: required");
    if (!ClaimNotificationSource(tx, *tenant, event.id(), context.now())) {
      return absl::OkStatus();  // applied already
    }
  }
  switch (event.payload_case()) {
    case ev::Event::kPostPublished:
      return OnPublished(context, tx, *tenant, event);
    case ev::Event::kCommentCreated:
      return OnComment(context, tx, *tenant, event);
    case ev::Event::kAnswerAccepted:
      return OnAccepted(context, tx, *tenant, event);
    case ev::Event::kIdeaStatusChanged:
      return OnStatusChanged(context, tx, *tenant, event);
    case ev::Event::kIdeasMerged:
      return OnMerged(context, tx, *tenant, event);
    case ev::Event::kPostHidden: {
      const ev::PostHidden& hidden = event.post_hidden();
      return OnTakenDown(context, tx, *tenant, event, hidden.post(),
                         hidden.author(), common::POST_STATE_HIDDEN,
                         hidden.reasons());
    }
    case ev::Event::kPostRemoved: {
      const ev::PostRemoved& removed = event.post_removed();
      return OnTakenDown(context, tx, *tenant, event, removed.post(),
                         removed.author(), removed.state(), removed.reasons());
    }
    case ev::Event::kVoteCast:
      return OnVote(context, tx, *tenant, event);
    default:
      return absl::OkStatus();
  }
}

absl::Status ForgetMemberFollowsAndNotifications(pqxx::transaction_base& tx,
                                                 const std::string& tenant,
                                                 const std::string& member) {
  DeleteFollowsOfMember(tx, tenant, member);
  ForgetMemberNotifications(tx, tenant, member);
  return absl::OkStatus();
}

}  // namespace agora::content
