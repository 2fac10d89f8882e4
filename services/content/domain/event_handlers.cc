#include "services/content/domain/event_handlers.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/api/resource_names.h"
#include "libs/logging/log.h"
#include "libs/pg/arrays.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/notification_fanout.h"
#include "services/content/domain/publication.h"
#include "services/content/repository/post_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
namespace ev = agora::events::v1;
using google::protobuf::util::TimeUtil;

std::string LastSegment(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

void SaveTenant(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& default_language,
                const google::protobuf::RepeatedPtrField<std::string>& allowed,
                const std::string& time_zone, bool suspended) {
  std::vector<std::string> languages(allowed.begin(), allowed.end());
  tx.exec_params(
      "INSERT INTO tenants (id, default_language, allowed_languages,"
      " time_zone, suspended) VALUES ($1, $2, $3::text[], $4, $5)"
      " ON CONFLICT (id) DO UPDATE SET default_language ="
      " excluded.default_language, allowed_languages ="
      " excluded.allowed_languages, time_zone = excluded.time_zone,"
      " suspended = excluded.suspended, update_time = now()",
      tenant, default_language.empty() ? "en" : default_language,
      pg::ToTextArray(languages), time_zone.empty() ? "UTC" : time_zone,
      suspended);
}

std::string BadgeArray(const google::protobuf::RepeatedField<int>& badges) {
  return absl::StrCat("{", absl::StrJoin(badges, ","), "}");
}

// Authorship removed everywhere; with the REMOVE policy the member's posts
// are also taken down (answers and comments of others under them stay).
absl::Status EraseMember(ContentContext& context, pqxx::transaction_base& tx,
                         const std::string& tenant, const std::string& member,
                         const common::Actor& actor) {
  tx.exec_params(
      "INSERT INTO members (tenant, id, erased) VALUES ($1, $2, true)"
      " ON CONFLICT (tenant, id) DO UPDATE SET erased = true,"
      " display_name = '', avatar_uri = '', language = '', badges = '{}',"
      " verified_customer = false, update_time = now()",
      tenant, member);
  const v1::ContentSettings settings = LoadContentSettings(tx, tenant).settings;
  if (settings.erased_member_policy() ==
      v1::ContentSettings::ERASED_MEMBER_POLICY_REMOVE) {
    const pqxx::result rows = tx.exec_params(
        "SELECT id FROM posts WHERE tenant = $1 AND author = $2 AND"
        " NOT author_is_service AND state NOT IN (4, 5)",
        tenant, member);
    for (const pqxx::row& row : rows) {
      std::optional<StoredPost> post =
          FindPost(tx, tenant, row[0].as<std::string>(), /*lock=*/true);
      if (!post.has_value()) continue;
      const common::PostState before = post->post.state();
      post->post.set_state(common::POST_STATE_REMOVED);
      post->unscreened = false;
      UpdatePostRow(tx, *post, context.now());
      std::optional<StoredPost> stored = FindPost(tx, tenant, post->id);
      if (absl::Status s =
              AnnounceStateChange(context, tx, *stored, before, false, actor);
          !s.ok()) {
        return s;
      }
    }
  }
  tx.exec_params(
      "UPDATE posts SET author = '', author_badges = '{}',"
      " version = version + 1 WHERE tenant = $1 AND author = $2 AND"
      " NOT author_is_service",
      tenant, member);
  tx.exec_params(
      "UPDATE post_revisions SET editor = '' WHERE tenant = $1 AND"
      " editor = $2 AND NOT editor_is_service",
      tenant, member);
  tx.exec_params(
      "DELETE FROM idempotent_responses WHERE tenant = $1 AND caller = $2",
      tenant, api::MemberResourceName(tenant, member));
  return ForgetMemberFollowsAndNotifications(tx, tenant, member);
}

absl::Status ApplyDecision(ContentContext& context, pqxx::transaction_base& tx,
                           const std::string& tenant, const ev::Event& event) {
  const ev::ModerationDecided& decided = event.moderation_decided();
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("moderation_decided.post", decided.post().name());
  if (!name.ok()) return name.status();
  if (name->tenant != tenant) {
    return absl::InvalidArgumentError(
        "moderation_decided.post: not of the event's tenant");
  }
  std::optional<StoredPost> post =
      FindPost(tx, tenant, name->post, /*lock=*/true);
  if (!post.has_value()) {
    logging::Warn("content: decision on an unknown post",
                  {{"post", decided.post().name()}});
    return absl::OkStatus();
  }
  const common::PostState target = decided.resulting_state();
  if (target != common::POST_STATE_PUBLISHED &&
      target != common::POST_STATE_HIDDEN &&
      target != common::POST_STATE_REMOVED &&
      target != common::POST_STATE_REJECTED) {
    return absl::InvalidArgumentError(
        "moderation_decided.resulting_state: not a state moderation sets");
  }
  const common::PostState before = post->post.state();
  if (before == common::POST_STATE_DELETED) return absl::OkStatus();
  // A decision on an older revision: the author edited since, and the new
  // text was screened on its own. Taking a post down still applies (the
  // post as a whole was judged); publishing an older text does not.
  if (!decided.revision_id().empty() &&
      decided.revision_id() != post->post.revision_id() &&
      target == common::POST_STATE_PUBLISHED) {
    return absl::OkStatus();
  }
  const absl::Time now = context.now();
  v1::Post& p = post->post;
  if (decided.edited()) {
    if (p.kind() == common::CONTENT_KIND_QUESTION ||
        p.kind() == common::CONTENT_KIND_IDEA ||
        p.kind() == common::CONTENT_KIND_ARTICLE ||
        p.kind() == common::CONTENT_KIND_REVIEW ||
        p.kind() == common::CONTENT_KIND_CONTEST_ENTRY) {
      if (!decided.edited_title().empty()) p.set_title(decided.edited_title());
    }
    if (!decided.edited_body().empty()) p.set_body(decided.edited_body());
    p.set_revision_id(NewContentId());
  }
  v1::PostModeration& moderation = *p.mutable_moderation();
  moderation.set_verdict(decided.verdict());
  moderation.clear_reasons();
  for (int reason : decided.reasons()) {
    moderation.add_reasons(static_cast<common::ModerationReason>(reason));
  }
  moderation.set_review_pending(false);
  moderation.clear_expected_decision_time();
  moderation.set_note(decided.note());
  *moderation.mutable_decide_time() = event.occur_time();
  p.set_state(target);
  post->unscreened = false;
  const bool first_publication = !p.has_publish_time();
  UpdatePostRow(tx, *post, now);
  std::optional<StoredPost> stored = FindPost(tx, tenant, name->post);
  if (decided.edited()) {
    const std::string editor = LastSegment(event.actor().name());
    InsertRevision(tx, *stored, stored->post.revision_id(), editor, false,
                   decided.verdict(), now);
  }
  StateChangeCause cause;
  cause.decision = decided.decision();
  for (int reason : decided.reasons()) {
    cause.reasons.push_back(static_cast<common::ModerationReason>(reason));
  }
  return AnnounceStateChange(context, tx, *stored, before, first_publication,
                             event.actor(), cause);
}

}  // namespace

absl::Status ApplyIdentityEvent(ContentContext& context,
                                pqxx::transaction_base& tx,
                                const ev::Event& event) {
  switch (event.payload_case()) {
    case ev::Event::kTenantCreated: {
      const ev::TenantCreated& created = event.tenant_created();
      absl::StatusOr<std::string> tenant =
          api::ParseTenantName("tenant_created.tenant", created.tenant());
      if (!tenant.ok()) return tenant.status();
      SaveTenant(tx, *tenant, created.default_language(),
                 created.allowed_languages(), created.time_zone(), false);
      return absl::OkStatus();
    }
    case ev::Event::kTenantUpdated: {
      const ev::TenantUpdated& updated = event.tenant_updated();
      absl::StatusOr<std::string> tenant =
          api::ParseTenantName("tenant_updated.tenant", updated.tenant());
      if (!tenant.ok()) return tenant.status();
      SaveTenant(tx, *tenant, updated.default_language(),
                 updated.allowed_languages(), updated.time_zone(),
                 updated.suspended());
      return absl::OkStatus();
    }
    case ev::Event::kMemberRegistered: {
      const ev::MemberRegistered& registered = event.member_registered();
      absl::StatusOr<api::MemberName> member = api::ParseMemberName(
          "member_registered.member", registered.member(), nullptr);
      if (!member.ok()) return member.status();
      tx.exec_params(
          "INSERT INTO members (tenant, id, display_name, language,"
          " verified_customer, badges) VALUES ($1, $2, $3, $4, $5,"
          " CASE WHEN $5 THEN '{2}'::integer[] ELSE '{}' END)"
          " ON CONFLICT (tenant, id) DO UPDATE SET display_name ="
          " excluded.display_name, language = excluded.language,"
          " verified_customer = excluded.verified_customer,"
          " update_time = now() WHERE NOT members.erased",
          member->tenant, member->member, registered.display_name(),
          registered.language(), registered.verified_customer());
      return absl::OkStatus();
    }
    case ev::Event::kProfileUpdated: {
      const ev::ProfileUpdated& profile = event.profile_updated();
      absl::StatusOr<api::MemberName> member = api::ParseMemberName(
          "profile_updated.member", profile.member(), nullptr);
      if (!member.ok()) return member.status();
      bool verified = false;
      for (int badge : profile.badges()) {
        verified = verified || badge == common::MEMBER_BADGE_VERIFIED_CUSTOMER;
      }
      tx.exec_params(
          "INSERT INTO members (tenant, id, display_name, avatar_uri,"
          " badges, language, verified_customer)"
          " VALUES ($1, $2, $3, $4, $5::integer[], $6, $7)"
          " ON CONFLICT (tenant, id) DO UPDATE SET display_name ="
          " excluded.display_name, avatar_uri = excluded.avatar_uri,"
          " badges = excluded.badges, language = excluded.language,"
          " verified_customer = excluded.verified_customer,"
          " update_time = now() WHERE NOT members.erased",
          member->tenant, member->member, profile.display_name(),
          profile.avatar_uri(), BadgeArray(profile.badges()),
          profile.language(), verified);
      return absl::OkStatus();
    }
    case ev::Event::kMemberErased: {
      absl::StatusOr<api::MemberName> member = api::ParseMemberName(
          "member_erased.member", event.member_erased().member(), nullptr);
      if (!member.ok()) return member.status();
      common::Actor system;
      system.set_type(common::ACTOR_TYPE_SYSTEM);
      return EraseMember(context, tx, member->tenant, member->member, system);
    }
    default:
      return absl::OkStatus();
  }
}

absl::Status ApplyModerationEvent(ContentContext& context,
                                  pqxx::transaction_base& tx,
                                  const ev::Event& event) {
  if (event.payload_case() != ev::Event::kModerationDecided) {
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  return ApplyDecision(context, tx, *tenant, event);
}

}  // namespace agora::content
