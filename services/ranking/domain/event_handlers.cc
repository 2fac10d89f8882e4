#include "services/ranking/domain/event_handlers.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/logging/log.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

absl::Time TimeOf(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

// The id part of a name of `collections`, or "" when `name` is empty or
// not such a name (an author that is a service account, say).
std::string IdOf(const std::string& name,
                 std::initializer_list<absl::string_view> collections) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName("name", name, collections);
  if (!parts.ok()) return "";
  std::string id = parts->back();
  for (size_t i = parts->size() - 1; i-- > 1;) {
    id = absl::StrCat((*parts)[i], "/", id);
  }
  return id;
}

std::string PostIdOf(const std::string& name) {
  return IdOf(name, {"tenants", "posts"});
}

std::string MemberIdOf(const std::string& name) {
  return IdOf(name, {"tenants", "members"});
}

// The posts whose Redis state follows from this change: the post and,
// for a reply, the post it replies to (its comment count).
void MarkPostAndParent(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& post) {
  std::vector<std::string> posts = {post};
  const pqxx::result parent = tx.exec_params(
      "SELECT in_reply_to FROM posts WHERE tenant = $1 AND id = $2"
      " AND in_reply_to <> ''",
      tenant, post);
  if (!parent.empty()) posts.push_back(parent[0][0].as<std::string>());
  MarkPendingRepair(tx, tenant, posts);
}

// A recategorised post leaves its old category's boards now: the repair
// that follows only knows the new category. Its tally goes too and comes
// back with that repair. Best effort: if Redis is down, the stale entries
// wait for a rebuild or CheckConsistency (the event is not failed for it).
void LeaveOldCategory(RankingContext& context, PostInfo before) {
  before.published = false;
  const absl::CivilDay today =
      absl::ToCivilDay(context.now(), context.settings.TimeZone(before.tenant));
  absl::StatusOr<WriteOutcome> written =
      context.boards.WritePost(before, std::nullopt, {}, today);
  if (!written.ok()) {
    logging::Warn(
        "ranking: recategorised post left on its old boards",
        {{"post", before.id}, {"error", written.status().ToString()}});
  }
}

absl::Status SetPublished(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& post, bool published) {
  tx.exec_params(
      "UPDATE posts SET published = $3, update_time = now()"
      " WHERE tenant = $1 AND id = $2",
      tenant, post, published);
  MarkPostAndParent(tx, tenant, post);
  return absl::OkStatus();
}

// A duplicate idea merged into the original: its votes move to the
// original, except where the voter already voted the original (that vote
// stays, the duplicate's is set inactive) or is the original's author (no
// self-votes). Both posts' tallies and boards are then recomputed.
absl::Status CarryVotesOver(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& source,
                            const std::string& target) {
  if (source.empty() || target.empty() || source == target) {
    return absl::InvalidArgumentError("ideas_merged: bad source or target");
  }
  tx.exec_params(
      "UPDATE votes v SET target = $3, target_author = p.author,"
      " update_time = now() FROM posts p"
      " WHERE v.tenant = $1 AND v.target = $2 AND p.tenant = $1 AND p.id = $3"
      " AND v.voter <> p.author AND NOT EXISTS (SELECT 1 FROM votes o"
      " WHERE o.tenant = $1 AND o.target = $3 AND o.voter = v.voter AND"
      " o.axis = v.axis)",
      tenant, source, target);
  tx.exec_params(
      "UPDATE votes SET status = 4, update_time = now()"
      " WHERE tenant = $1 AND target = $2 AND status <> 4",
      tenant, source);
  MarkPendingRepair(tx, tenant, {source, target});
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyIdentityEvent(RankingContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  switch (event.payload_case()) {
    case events::v1::Event::kTenantCreated:
      SaveTenantTimeZone(tx, *tenant, event.tenant_created().time_zone());
      context.settings.Invalidate(*tenant);
      return absl::OkStatus();
    case events::v1::Event::kTenantUpdated:
      if (!event.tenant_updated().time_zone().empty()) {
        SaveTenantTimeZone(tx, *tenant, event.tenant_updated().time_zone());
        context.settings.Invalidate(*tenant);
      }
      return absl::OkStatus();
    case events::v1::Event::kMemberRegistered: {
      const events::v1::MemberRegistered& member = event.member_registered();
      const std::string id = MemberIdOf(member.member());
      if (id.empty()) return absl::OkStatus();
      SaveMember(
          tx, *tenant, id,
          MemberInfo{member.has_create_time() ? TimeOf(member.create_time())
                                              : TimeOf(event.occur_time()),
                     member.verified_customer()});
      return absl::OkStatus();
    }
    case events::v1::Event::kMemberErased: {
      // Votes stay counted (tallies do not move) but no longer say who
      // cast them; the member's posts lose their author.
      const std::string id = MemberIdOf(event.member_erased().member());
      if (id.empty()) return absl::OkStatus();
      tx.exec_params(
          "UPDATE votes SET voter = 'erased-' || gen_random_uuid()::text"
          " WHERE tenant = $1 AND voter = $2",
          *tenant, id);
      tx.exec_params(
          "UPDATE votes SET target_author = '' WHERE tenant = $1"
          " AND target_author = $2",
          *tenant, id);
      tx.exec_params(
          "UPDATE posts SET author = '' WHERE tenant = $1 AND author = $2",
          *tenant, id);
      tx.exec_params(
          "UPDATE members SET erased = true, verified_customer = false"
          " WHERE tenant = $1 AND id = $2",
          *tenant, id);
      tx.exec_params(
          "DELETE FROM idempotent_responses WHERE tenant = $1 AND caller = $2",
          *tenant, MemberResourceName(*tenant, id));
      return absl::OkStatus();
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ApplyContentEvent(RankingContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  switch (event.payload_case()) {
    case events::v1::Event::kPostPublished: {
      const events::v1::PostPublished& published = event.post_published();
      PostInfo post;
      post.tenant = *tenant;
      post.id = PostIdOf(published.post().name());
      if (post.id.empty()) {
        return absl::InvalidArgumentError("post_published.post: bad name");
      }
      post.kind = published.post().kind();
      post.space = IdOf(published.space(), {"tenants", "spaces"});
      post.category =
          IdOf(published.category(), {"tenants", "spaces", "categories"});
      post.round = IdOf(published.round(), {"tenants", "contests", "rounds"});
      post.in_reply_to = PostIdOf(published.in_reply_to());
      post.author = MemberIdOf(published.author());
      post.announced_mode = published.evaluation_mode();
      post.published = true;
      post.first_publish_time = published.has_publish_time()
                                    ? TimeOf(published.publish_time())
                                    : TimeOf(event.occur_time());
      SavePost(tx, post);
      MarkPostAndParent(tx, *tenant, post.id);
      return absl::OkStatus();
    }
    case events::v1::Event::kPostUpdated: {
      const events::v1::PostUpdated& updated = event.post_updated();
      const std::string id = PostIdOf(updated.post().name());
      const std::string category =
          IdOf(updated.category(), {"tenants", "spaces", "categories"});
      if (std::optional<PostInfo> before = LoadPost(tx, *tenant, id);
          before.has_value() && before->category != category) {
        LeaveOldCategory(context, *before);
      }
      tx.exec_params(
          "UPDATE posts SET category = $3, update_time = now()"
          " WHERE tenant = $1 AND id = $2",
          *tenant, id, category);
      if (updated.state() != common::v1::POST_STATE_UNSPECIFIED &&
          updated.state() != common::v1::POST_STATE_PUBLISHED) {
        return SetPublished(tx, *tenant, id, false);
      }
      MarkPostAndParent(tx, *tenant, id);
      return absl::OkStatus();
    }
    case events::v1::Event::kPostHidden:
      return SetPublished(tx, *tenant,
                          PostIdOf(event.post_hidden().post().name()), false);
    case events::v1::Event::kPostRemoved:
      return SetPublished(tx, *tenant,
                          PostIdOf(event.post_removed().post().name()), false);
    case events::v1::Event::kPostDeleted:
      return SetPublished(tx, *tenant,
                          PostIdOf(event.post_deleted().post().name()), false);
    case events::v1::Event::kIdeasMerged:
      return CarryVotesOver(tx, *tenant,
                            PostIdOf(event.ideas_merged().source()),
                            PostIdOf(event.ideas_merged().target()));
    default:
      return absl::OkStatus();
  }
}

absl::Status ApplyShareEvent(RankingContext& context,
                             pqxx::transaction_base& tx,
                             const events::v1::Event& event) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  std::string post;
  const char* column = nullptr;
  if (event.has_post_shared()) {
    post = PostIdOf(event.post_shared().post().name());
    column = "shares";
  } else if (event.has_link_clicked()) {
    post = PostIdOf(event.link_clicked().post().name());
    column = "clicks";
  } else {
    return absl::OkStatus();
  }
  if (post.empty()) return absl::OkStatus();
  const std::string zone = context.settings.TimeZone(*tenant).name();
  tx.exec_params(
      absl::StrCat(
          "INSERT INTO post_shares (tenant, post, day, ", column,
          ") VALUES ($1, $2, ((timestamptz 'epoch' + $3::bigint * interval"
          " '1 microsecond') AT TIME ZONE $4)::date, 1)"
          " ON CONFLICT (tenant, post, day) DO UPDATE SET ",
          column, " = post_shares.", column, " + 1"),
      *tenant, post, TimeUtil::TimestampToMicroseconds(event.occur_time()),
      zone);
  MarkPendingRepair(tx, *tenant, {post});
  return absl::OkStatus();
}

}  // namespace agora::ranking
