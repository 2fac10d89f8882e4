#include "services/content/domain/ideas.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/keyset.h"
#include "services/content/domain/post_rules.h"
#include "services/content/domain/post_view.h"
#include "services/content/domain/publication.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

absl::Status RequireStaff(const auth::Principal& caller,
                          const std::string& tenant) {
  return api::RequireTenantRole(caller, tenant,
                                {auth::kRoleStaff, auth::kRoleTenantAdmin});
}

std::string MicrosText(absl::Time time) {
  return std::to_string(absl::ToUnixMicros(time));
}

// The official response as stored: masked, with its language (the tenant's
// default when not given), its author and time.
absl::StatusOr<v1::OfficialResponse> PrepareResponse(
    ContentContext& context, pqxx::transaction_base& tx,
    const std::string& tenant, const auth::Principal& caller,
    const v1::OfficialResponse& given, absl::Time now) {
  v1::OfficialResponse response;
  std::string language = given.language();
  if (language.empty()) {
    std::optional<TenantFacts> facts = FindTenantFacts(tx, tenant);
    language = facts.has_value() ? facts->default_language : "en";
  } else if (absl::Status s = api::ValidateLanguageTag(
                 "official_response.language", language);
             !s.ok()) {
    return s;
  }
  response.set_language(language);
  response.set_body(context.screening.Mask(given.body(), language));
  response.mutable_author()->set_name(api::PrincipalName(caller));
  response.mutable_author()->add_badges(common::MEMBER_BADGE_STAFF);
  *response.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  return response;
}

// The default note shown on a merged duplicate.
std::string MergedNote(const std::string& language, const std::string& title) {
  const std::string quoted = absl::StrCat("« ", title, " »");
  if (language.rfind("fr", 0) == 0) {
    return absl::StrCat("Cette idée rejoint ", quoted,
                        " : votes et abonnés y sont réunis.");
  }
  if (language.rfind("it", 0) == 0) {
    return absl::StrCat("Questa idea è stata unita a ", quoted, ".");
  }
  if (language.rfind("nl", 0) == 0) {
    return absl::StrCat("Dit idee is samengevoegd met ", quoted, ".");
  }
  if (language.rfind("pl", 0) == 0) {
    return absl::StrCat("Ten pomysł połączono z ", quoted, ".");
  }
  return absl::StrCat("This idea was merged into ", quoted, ".");
}

void WriteStatus(pqxx::transaction_base& tx, const StoredPost& idea,
                 common::IdeaStatus status,
                 const v1::OfficialResponse& response,
                 const std::string& merged_into, absl::Time now) {
  v1::Post details;
  *details.mutable_idea()->mutable_official_response() = response;
  const pqxx::binarystring bytes(details.SerializeAsString());
  tx.exec_params(
      "UPDATE posts SET idea_status = $3, status_update_time ="
      " timestamptz 'epoch' + $4::bigint * interval '1 microsecond',"
      " first_response_time = coalesce(first_response_time, timestamptz"
      " 'epoch' + $4::bigint * interval '1 microsecond'), details = $5,"
      " merged_into = $6, version = version + 1,"
      " update_time = timestamptz 'epoch' + $4::bigint * interval"
      " '1 microsecond' WHERE tenant = $1 AND id = $2",
      idea.tenant, idea.id, static_cast<int>(status), MicrosText(now), bytes,
      merged_into);
}

}  // namespace

absl::StatusOr<v1::Post> UpdateIdeaStatus(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateIdeaStatusRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireStaff(caller, name->tenant); !s.ok()) return s;
  const common::IdeaStatus status = request.status();
  if (status == common::IDEA_STATUS_UNSPECIFIED ||
      !common::IdeaStatus_IsValid(status)) {
    return absl::InvalidArgumentError("status: required");
  }
  if (status == common::IDEA_STATUS_DUPLICATE) {
    return absl::InvalidArgumentError("status: DUPLICATE is set by MergeIdeas");
  }
  if (absl::Status s = ValidateBody("official_response.body",
                                    request.official_response().body(),
                                    kMaxOfficialResponse);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{name->tenant, "UpdateIdeaStatus",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  v1::Post updated;
  absl::Status result =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        std::optional<StoredPost> idea =
            FindPost(tx, name->tenant, name->post, /*lock=*/true);
        if (!idea.has_value() || !CanSee(*idea, &caller)) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (idea->post.kind() != common::CONTENT_KIND_IDEA) {
          return absl::InvalidArgumentError("name: not an idea");
        }
        if (!request.etag().empty() && request.etag() != idea->post.etag()) {
          return api::EtagMismatch("etag", "the idea");
        }
        if (idea->post.state() != common::POST_STATE_PUBLISHED) {
          return status::WithReason(
              absl::FailedPreconditionError("name: the idea is not published"),
              "TARGET_NOT_PUBLISHED");
        }
        const common::IdeaStatus previous = idea->post.idea().status();
        const v1::ContentSettings settings =
            LoadContentSettings(tx, name->tenant).settings;
        if (!TransitionAllowed(settings.idea_workflow(), previous, status)) {
          return status::WithReason(
              absl::FailedPreconditionError(
                  absl::StrCat("status: the workflow does not allow ",
                               common::IdeaStatus_Name(previous), " -> ",
                               common::IdeaStatus_Name(status))),
              "STATUS_TRANSITION_NOT_ALLOWED");
        }
        absl::StatusOr<v1::OfficialResponse> response =
            PrepareResponse(context, tx, name->tenant, caller,
                            request.official_response(), now);
        if (!response.ok()) return response.status();
        WriteStatus(tx, *idea, status, *response, "", now);
        const std::string change =
            InsertStatusChange(tx, name->tenant, idea->id, previous, status,
                               *response, caller.subject, "", now);
        events::v1::Event event = NewContentEvent(
            context, name->tenant, api::ActorFor(caller), idea->post.name());
        events::v1::IdeaStatusChanged& payload =
            *event.mutable_idea_status_changed();
        payload.set_idea(idea->post.name());
        payload.set_title(idea->post.title());
        payload.set_idea_author(idea->post.author().name());
        payload.set_previous_status(previous);
        payload.set_status(status);
        payload.set_official_response(response->body());
        payload.set_official_response_language(response->language());
        payload.set_changed_by(api::PrincipalName(caller));
        payload.set_status_change(change);
        if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
          return s;
        }
        updated = ViewOf(*FindPost(tx, name->tenant, idea->id), &caller);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!result.ok()) return result;
  return updated;
}

absl::StatusOr<v1::ListIdeaStatusHistoryResponse> ListIdeaStatusHistory(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListIdeaStatusHistoryRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("parent", request.parent());
  if (!name.ok()) return name.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<TimeIdPosition>> after =
      DecodeTimeIdToken(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListIdeaStatusHistoryResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<StoredPost> idea = FindPost(tx, name->tenant, name->post);
        if (!idea.has_value() || !CanSee(*idea, caller) ||
            idea->post.kind() != common::CONTENT_KIND_IDEA) {
          return absl::NotFoundError(
              absl::StrCat(request.parent(), " not found"));
        }
        std::vector<v1::IdeaStatusChange> changes = ListStatusChangeRows(
            tx, name->tenant, name->post, *after, *size + 1);
        response.Clear();
        for (size_t i = 0; i < changes.size() && i < size_t(*size); ++i) {
          *response.add_status_changes() = std::move(changes[i]);
        }
        if (changes.size() > size_t(*size)) {
          const v1::IdeaStatusChange& last = response.status_changes(*size - 1);
          response.set_next_page_token(
              TimeIdToken(last.create_time(), last.name()));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Post> MergeIdeas(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::MergeIdeasRequest& request) {
  absl::StatusOr<api::PostName> source =
      api::ParsePostName("name", request.name());
  if (!source.ok()) return source.status();
  absl::StatusOr<api::PostName> target =
      api::ParsePostName("target", request.target());
  if (!target.ok()) return target.status();
  if (target->tenant != source->tenant) {
    return absl::InvalidArgumentError("target: must be an idea of the tenant");
  }
  if (target->post == source->post) {
    return absl::InvalidArgumentError(
        "target: an idea cannot merge into itself");
  }
  if (absl::Status s = RequireStaff(caller, source->tenant); !s.ok()) return s;
  if (!request.official_response().body().empty()) {
    if (absl::Status s = ValidateBody("official_response.body",
                                      request.official_response().body(),
                                      kMaxOfficialResponse);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{source->tenant, "MergeIdeas",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  const absl::Time now = context.now();
  v1::Post original;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, original)) {
          return absl::OkStatus();
        }
        // Lock both in id order: two merges never wait on each other.
        const bool source_first = source->post < target->post;
        std::optional<StoredPost> first =
            FindPost(tx, source->tenant,
                     source_first ? source->post : target->post, true);
        std::optional<StoredPost> second =
            FindPost(tx, source->tenant,
                     source_first ? target->post : source->post, true);
        std::optional<StoredPost>& duplicate = source_first ? first : second;
        std::optional<StoredPost>& idea = source_first ? second : first;
        if (!duplicate.has_value() || !CanSee(*duplicate, &caller)) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (duplicate->post.kind() != common::CONTENT_KIND_IDEA) {
          return absl::InvalidArgumentError("name: not an idea");
        }
        if (!idea.has_value() ||
            idea->post.state() != common::POST_STATE_PUBLISHED) {
          return absl::NotFoundError(
              absl::StrCat(request.target(), " not found"));
        }
        if (idea->post.kind() != common::CONTENT_KIND_IDEA ||
            idea->post.idea().status() == common::IDEA_STATUS_DUPLICATE) {
          return absl::InvalidArgumentError(
              "target: must be an idea that is not itself a duplicate");
        }
        if (!request.etag().empty() &&
            request.etag() != duplicate->post.etag()) {
          return api::EtagMismatch("etag", "the duplicate idea");
        }
        if (duplicate->post.idea().status() == common::IDEA_STATUS_DUPLICATE) {
          if (duplicate->post.idea().merged_into() == idea->post.name()) {
            original = ViewOf(*idea, &caller);  // merged already
            return absl::OkStatus();
          }
          return absl::InvalidArgumentError(
              "name: already merged into another idea");
        }
        v1::OfficialResponse given = request.official_response();
        if (given.body().empty()) {
          std::optional<TenantFacts> facts =
              FindTenantFacts(tx, source->tenant);
          const std::string language =
              facts.has_value() ? facts->default_language : "en";
          given.set_language(language);
          given.set_body(MergedNote(language, idea->post.title()));
        }
        absl::StatusOr<v1::OfficialResponse> response =
            PrepareResponse(context, tx, source->tenant, caller, given, now);
        if (!response.ok()) return response.status();
        const common::IdeaStatus previous = duplicate->post.idea().status();
        WriteStatus(tx, *duplicate, common::IDEA_STATUS_DUPLICATE, *response,
                    idea->id, now);
        InsertStatusChange(tx, source->tenant, duplicate->id, previous,
                           common::IDEA_STATUS_DUPLICATE, *response,
                           caller.subject, idea->id, now);
        tx.exec_params(
            "UPDATE posts SET merged_count = merged_count + 1,"
            " version = version + 1 WHERE tenant = $1 AND id = $2",
            source->tenant, idea->id);
        events::v1::Event event =
            NewContentEvent(context, source->tenant, api::ActorFor(caller),
                            duplicate->post.name());
        events::v1::IdeasMerged& payload = *event.mutable_ideas_merged();
        payload.set_source(duplicate->post.name());
        payload.set_target(idea->post.name());
        payload.set_source_author(duplicate->post.author().name());
        payload.set_target_author(idea->post.author().name());
        payload.set_merged_by(api::PrincipalName(caller));
        if (absl::Status s = AppendContentEvent(context, tx, event); !s.ok()) {
          return s;
        }
        original = ViewOf(*FindPost(tx, source->tenant, idea->id), &caller);
        idempotency::SaveResponse(tx, key, original);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return original;
}

}  // namespace agora::content
