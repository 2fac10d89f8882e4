#include "services/content/domain/publication.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/events/typed_event.h"
#include "services/content/repository/space_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

bool Visible(common::PostState state) {
  return state == common::POST_STATE_PUBLISHED;
}

std::string AuthorName(const StoredPost& post) {
  return post.post.author().name();
}

// Moves the published counters of `post` by `delta` (+1 or -1).
void MoveCounters(pqxx::transaction_base& tx, const StoredPost& post, int delta,
                  absl::Time now) {
  const common::ContentKind kind = post.post.kind();
  const std::string micros = std::to_string(absl::ToUnixMicros(now));
  if (kind == common::CONTENT_KIND_ANSWER) {
    tx.exec_params(
        "UPDATE posts SET answer_count = greatest(answer_count + $3, 0),"
        " last_activity_time = CASE WHEN $3 > 0 THEN timestamptz 'epoch' +"
        " $4::bigint * interval '1 microsecond' ELSE last_activity_time END,"
        " first_answer_time = CASE WHEN $3 > 0 AND NOT $5 THEN"
        " coalesce(first_answer_time, timestamptz 'epoch' + $4::bigint *"
        " interval '1 microsecond') ELSE first_answer_time END"
        " WHERE tenant = $1 AND id = $2",
        post.tenant, post.in_reply_to, delta, micros,
        post.post.answer().automated());
    return;
  }
  if (kind == common::CONTENT_KIND_COMMENT) {
    tx.exec_params(
        "UPDATE posts SET comment_count = greatest(comment_count + $3, 0)"
        " WHERE tenant = $1 AND id = $2",
        post.tenant, post.in_reply_to, delta);
    if (delta > 0) {
      tx.exec_params(
          "UPDATE posts SET last_activity_time = timestamptz 'epoch' +"
          " $3::bigint * interval '1 microsecond'"
          " WHERE tenant = $1 AND id = $2",
          post.tenant, post.thread_root, micros);
    }
    return;
  }
  // One of 16 shards of each counter (migration 0004): concurrent posts of
  // one space rarely meet on a row.
  tx.exec_params(
      "INSERT INTO post_counts (tenant, space, category, shard, n)"
      " SELECT $1, $2, c, (random() * 15)::smallint, $3"
      " FROM unnest(CASE WHEN $4 = '' THEN ARRAY[''] ELSE ARRAY['', $4] END) c"
      " ON CONFLICT (tenant, space, category, shard)"
      " DO UPDATE SET n = post_counts.n + excluded.n",
      post.tenant, post.space, delta, post.category);
}

common::TargetRef RefOf(const StoredPost& post) {
  common::TargetRef ref;
  ref.set_kind(post.post.kind());
  ref.set_name(post.post.name());
  return ref;
}

absl::Status AnnouncePublished(const ContentContext& context,
                               pqxx::transaction_base& tx,
                               const StoredPost& post, bool first_publication,
                               const common::Actor& actor) {
  const v1::Post& p = post.post;
  events::v1::Event event =
      NewContentEvent(context, post.tenant, actor, p.name());
  events::v1::PostPublished& published = *event.mutable_post_published();
  *published.mutable_post() = RefOf(post);
  published.set_space(p.space());
  published.set_category(p.category());
  published.set_round(p.contest_entry().round());
  published.set_product(p.review().product());
  published.set_rating(p.review().rating());
  published.set_in_reply_to(p.in_reply_to());
  published.set_thread_root(p.thread_root());
  published.set_author(AuthorName(post));
  for (int badge : p.author().badges()) {
    published.add_author_badges(static_cast<common::MemberBadge>(badge));
  }
  std::string title = p.title();
  if (title.empty() && post.thread_root != post.id) {
    if (std::optional<StoredPost> root =
            FindPost(tx, post.tenant, post.thread_root)) {
      title = root->post.title();
    }
  }
  published.set_title(title);
  published.set_excerpt(ExcerptOf(p.body()));
  published.set_language(p.language());
  for (const std::string& tag : p.tags()) published.add_tags(tag);
  if (std::optional<v1::Space> space = FindSpace(tx, post.tenant, post.space)) {
    published.set_evaluation_mode(space->evaluation_mode());
  }
  published.set_idea_status(p.idea().status());
  published.set_automated(p.answer().automated());
  *published.mutable_create_time() = p.create_time();
  *published.mutable_publish_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(context.now()));
  published.set_republished(!first_publication);
  if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
    return s;
  }
  if (p.kind() != common::CONTENT_KIND_COMMENT || !first_publication) {
    return absl::OkStatus();
  }
  events::v1::Event comment =
      NewContentEvent(context, post.tenant, actor, p.name());
  events::v1::CommentCreated& created = *comment.mutable_comment_created();
  created.set_comment(p.name());
  created.mutable_in_reply_to()->set_name(p.in_reply_to());
  created.set_in_reply_to_comment(p.in_reply_to_comment());
  created.set_thread_root(p.thread_root());
  created.set_author(AuthorName(post));
  if (std::optional<StoredPost> parent =
          FindPost(tx, post.tenant, post.in_reply_to)) {
    created.mutable_in_reply_to()->set_kind(parent->post.kind());
    created.set_in_reply_to_author(parent->post.author().name());
  }
  created.set_excerpt(ExcerptOf(p.body()));
  *created.mutable_create_time() = published.publish_time();
  return AppendContentEvent(context, tx, comment);
}

absl::Status AnnounceWithdrawn(const ContentContext& context,
                               pqxx::transaction_base& tx,
                               const StoredPost& post,
                               const common::Actor& actor,
                               const StateChangeCause& cause) {
  events::v1::Event event =
      NewContentEvent(context, post.tenant, actor, post.post.name());
  switch (post.post.state()) {
    case common::POST_STATE_HIDDEN: {
      events::v1::PostHidden& hidden = *event.mutable_post_hidden();
      *hidden.mutable_post() = RefOf(post);
      hidden.set_in_reply_to(post.post.in_reply_to());
      hidden.set_author(AuthorName(post));
      hidden.set_decision(cause.decision);
      for (common::ModerationReason reason : cause.reasons) {
        hidden.add_reasons(reason);
      }
      break;
    }
    case common::POST_STATE_DELETED: {
      events::v1::PostDeleted& deleted = *event.mutable_post_deleted();
      *deleted.mutable_post() = RefOf(post);
      deleted.set_in_reply_to(post.post.in_reply_to());
      deleted.set_author(AuthorName(post));
      *deleted.mutable_delete_time() =
          TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(context.now()));
      break;
    }
    case common::POST_STATE_PENDING:
      // An edit held for review: post.updated (sent by the edit) carries the
      // state, and ranking drops the post on it.
      return absl::OkStatus();
    default: {
      events::v1::PostRemoved& removed = *event.mutable_post_removed();
      *removed.mutable_post() = RefOf(post);
      removed.set_in_reply_to(post.post.in_reply_to());
      removed.set_author(AuthorName(post));
      removed.set_state(post.post.state());
      removed.set_decision(cause.decision);
      for (common::ModerationReason reason : cause.reasons) {
        removed.add_reasons(reason);
      }
      break;
    }
  }
  return AppendContentEvent(context, tx, event);
}

}  // namespace

std::string ExcerptOf(const std::string& body) {
  // Markdown marks that carry no meaning in a one-line excerpt.
  std::string plain;
  plain.reserve(std::min<size_t>(body.size(), 1300));
  bool space = false;
  for (char c : body) {
    if (c == '*' || c == '_' || c == '#' || c == '`' || c == '>') continue;
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if (!plain.empty()) space = true;
      continue;
    }
    if (space) plain.push_back(' ');
    space = false;
    plain.push_back(c);
    if (plain.size() >= 1300) break;
  }
  // Cut at 300 code points, never inside a UTF-8 sequence.
  size_t code_points = 0;
  for (size_t i = 0; i < plain.size(); ++i) {
    if ((static_cast<unsigned char>(plain[i]) & 0xC0) != 0x80) {
      if (code_points == 300) return plain.substr(0, i);
      ++code_points;
    }
  }
  return plain;
}

events::v1::Event NewContentEvent(const ContentContext& context,
                                  const std::string& tenant,
                                  const common::Actor& actor,
                                  const std::string& subject) {
  return events::NewEvent(events::v1::PRODUCER_CONTENT, tenant, actor, subject,
                          context.now());
}

absl::Status AppendContentEvent(const ContentContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event) {
  absl::StatusOr<events::EventRecord> record = events::ToRecord(event);
  if (!record.ok()) return record.status();
  return context.outbox.Append(tx, *record);
}

absl::Status AnnounceCreated(const ContentContext& context,
                             pqxx::transaction_base& tx, const StoredPost& post,
                             const common::Actor& actor,
                             const std::string& screening) {
  const v1::Post& p = post.post;
  events::v1::Event event =
      NewContentEvent(context, post.tenant, actor, p.name());
  events::v1::PostCreated& created = *event.mutable_post_created();
  *created.mutable_post() = RefOf(post);
  created.set_space(p.space());
  created.set_category(p.category());
  created.set_in_reply_to(p.in_reply_to());
  created.set_thread_root(p.thread_root());
  created.set_author(AuthorName(post));
  created.set_state(p.state());
  created.set_revision_id(p.revision_id());
  created.set_screening(screening);
  *created.mutable_create_time() = p.create_time();
  return AppendContentEvent(context, tx, event);
}

absl::Status AnnounceStateChange(
    const ContentContext& context, pqxx::transaction_base& tx,
    const StoredPost& post, common::PostState before, bool first_publication,
    const common::Actor& actor, const StateChangeCause& cause) {
  const bool was_visible = Visible(before);
  const bool visible = Visible(post.post.state());
  if (was_visible == visible) return absl::OkStatus();
  MoveCounters(tx, post, visible ? 1 : -1, context.now());
  if (visible) {
    return AnnouncePublished(context, tx, post, first_publication, actor);
  }
  return AnnounceWithdrawn(context, tx, post, actor, cause);
}

}  // namespace agora::content
