#include "services/moderation/domain/appeals.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/event_record.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/moderation_events.h"
#include "services/moderation/domain/paging.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/domain/text_limits.h"
#include "services/moderation/repository/appeal_store.h"
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/policy_store.h"
#include "services/moderation/repository/queue_store.h"

namespace agora::moderation {

using idempotency::FindSavedResponse;
using idempotency::IdempotencyKey;
using idempotency::SaveResponse;
using idempotency::ValidateRequestId;
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

}  // namespace

absl::StatusOr<v1::Appeal> CreateAppeal(
    ModerationContext& context, const auth::Principal& caller,
    const v1::CreateAppealRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireTenantMember(caller, *tenant); !s.ok()) return s;
  const v1::Appeal& appeal = request.appeal();
  absl::StatusOr<ResourceName> target = ParseResourceName(
      "appeal.target.name", appeal.target().name(), "posts", true);
  if (!target.ok()) return target.status();
  if (target->tenant != *tenant) {
    return absl::InvalidArgumentError(absl::StrCat(
        "appeal.target.name: must be a post of ", request.parent()));
  }
  if (absl::Status s =
          CheckLength("appeal.statement", appeal.statement(), 1, 2000);
      !s.ok())
    return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok())
    return s;
  const std::string appellant = PrincipalName(caller);
  const IdempotencyKey key{*tenant, "CreateAppeal", request.request_id(),
                           appellant};
  v1::Appeal created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, created)) return absl::OkStatus();
        // The latest appealable decision on the post, and whose post it is.
        const pqxx::result rows = tx.exec_params(
            "SELECT d.id::text, d.moderator, d.decision, q.author, "
            "q.target_kind FROM decisions d"
            " JOIN queue_items q ON q.tenant = d.tenant AND q.id = "
            "d.queue_item_id"
            " WHERE d.tenant = $1 AND d.target_name = $2 AND d.action IN (2, "
            "3, 4)"
            " ORDER BY d.create_time DESC LIMIT 1",
            *tenant, appeal.target().name());
        if (rows.empty() || rows[0][3].as<std::string>() != appellant) {
          // Not their post, or nothing to appeal: the same answer, so that
          // decisions on others' posts stay private.
          return absl::NotFoundError("no decision on your post to appeal");
        }
        v1::Decision decision;
        decision.ParseFromString(pqxx::binarystring(rows[0][2]).str());
        if (TimeUtil::TimestampToMicroseconds(decision.appeal_deadline()) <
            absl::ToUnixMicros(context.now())) {
          return absl::FailedPreconditionError(
              "appeal: the appeal window has closed");
        }
        const std::string decision_id = rows[0][0].as<std::string>();
        const std::string id = events::NewEventId();
        const v1::ModerationPolicy policy = LoadPolicy(tx, *tenant);
        NewQueueItem item;
        item.tenant = *tenant;
        item.target.set_name(appeal.target().name());
        item.target.set_kind(
            static_cast<common::ContentKind>(rows[0][4].as<int>()));
        item.author = appellant;
        item.source = v1::QUEUE_SOURCE_APPEAL;
        item.appeal_id = id;
        item.body = appeal.statement();
        item.due_time =
            context.now() +
            absl::Seconds(TimeUtil::DurationToSeconds(policy.review_sla()));
        const pqxx::result inserted = tx.exec_params(
            "INSERT INTO appeals (tenant, id, decision_id, target_name, "
            "target_kind, appellant,"
            " statement, state, first_moderator) VALUES ($1, $2, $3::uuid, $4, "
            "$5, $6, $7, 1, $8)"
            " ON CONFLICT (tenant, decision_id) DO NOTHING RETURNING 1",
            *tenant, id, decision_id, appeal.target().name(),
            static_cast<int>(item.target.kind()), appellant, appeal.statement(),
            rows[0][1].as<std::string>());
        if (inserted.empty())
          return absl::AlreadyExistsError(
              "appeal: this decision was already appealed");
        absl::StatusOr<v1::QueueItem> queued = InsertOrJoinQueueItem(tx, item);
        if (!queued.ok()) return queued.status();
        tx.exec_params(
            "UPDATE appeals SET queue_item_id = $3::uuid WHERE tenant = $1 AND "
            "id = $2::uuid",
            *tenant, id, queued->name().substr(queued->name().rfind('/') + 1));
        created = *FindAppeal(tx, *tenant, id, false);
        const common::Actor actor = ActorFor(caller);
        AuditRecord audit{
            v1::AUDIT_ENTRY_TYPE_APPEAL_CREATED, actor, appeal.target().name(),
            absl::StrCat("{\"appeal\":\"", created.name(), "\",\"decision\":\"",
                         created.decision(), "\"}")};
        if (absl::Status e = AppendAuditEntry(tx, *tenant, audit); !e.ok())
          return e;
        agora::events::v1::Event event =
            NewEvent(context, *tenant, actor, appeal.target().name());
        agora::events::v1::AppealCreated& payload =
            *event.mutable_appeal_created();
        payload.set_appeal(created.name());
        *payload.mutable_post() = created.target();
        payload.set_appellant(appellant);
        payload.set_decision(created.decision());
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Appeal> GetAppeal(ModerationContext& context,
                                     const auth::Principal& caller,
                                     const v1::GetAppealRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "appeals", true);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireTenantMember(caller, name->tenant); !s.ok())
    return s;
  std::optional<v1::Appeal> appeal;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        appeal = FindAppeal(tx, name->tenant, name->id, false);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!appeal || (appeal->appellant() != PrincipalName(caller) &&
                  !RequireModerator(caller, name->tenant).ok())) {
    return absl::NotFoundError("appeal not found");
  }
  return *appeal;
}

absl::StatusOr<v1::ListAppealsResponse> ListAppeals(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ListAppealsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  std::string appellant = request.appellant();
  if (!RequireModerator(caller, *tenant).ok()) {
    if (absl::Status s = RequireTenantMember(caller, *tenant); !s.ok())
      return s;
    if (!appellant.empty() && appellant != PrincipalName(caller)) {
      return absl::PermissionDeniedError("members see only their own appeals");
    }
    appellant = PrincipalName(caller);
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> offset = DecodeOffsetToken(request.page_token());
  if (!offset.ok()) return offset.status();
  v1::ListAppealsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        const pqxx::result rows = tx.exec_params(
            absl::StrCat(kAppealSelect,
                         " WHERE tenant = $1 AND ($2 = '' OR appellant = $2) "
                         "AND ($3 = 0 OR state = $3)"
                         " ORDER BY create_time DESC, id LIMIT $4 OFFSET $5"),
            *tenant, appellant, static_cast<int>(request.state()),
            *page_size + 1, *offset);
        for (const pqxx::row& row : rows) {
          if (response.appeals_size() == *page_size) {
            response.set_next_page_token(
                EncodePageToken(absl::StrCat(*offset + *page_size)));
            break;
          }
          *response.add_appeals() = AppealFromRow(*tenant, row);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Appeal> DecideAppeal(
    ModerationContext& context, const auth::Principal& caller,
    const v1::DecideAppealRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "appeals", true);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok())
    return s;
  if (request.outcome() == v1::APPEAL_OUTCOME_UNSPECIFIED ||
      !v1::AppealOutcome_IsValid(request.outcome())) {
    return absl::InvalidArgumentError("outcome: required");
  }
  if (absl::Status s = CheckLength("note", request.note(), 1, 2000); !s.ok())
    return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok())
    return s;
  const std::string moderator = PrincipalName(caller);
  const IdempotencyKey key{name->tenant, "DecideAppeal", request.request_id(),
                           moderator};
  v1::Appeal decided;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, decided)) return absl::OkStatus();
        std::optional<v1::Appeal> appeal =
            FindAppeal(tx, name->tenant, name->id, true);
        if (!appeal) return absl::NotFoundError("appeal not found");
        if (appeal->state() != v1::Appeal::STATE_OPEN) {
          return absl::FailedPreconditionError("appeal: already decided");
        }
        if (!request.etag().empty() && request.etag() != appeal->etag()) {
          return absl::FailedPreconditionError(
              "etag: the appeal changed since it was read");
        }
        const std::string first_moderator =
            tx.exec_params1(
                  "SELECT first_moderator FROM appeals WHERE tenant = $1 AND "
                  "id = $2::uuid",
                  name->tenant, name->id)[0]
                .as<std::string>();
        if (first_moderator == moderator) {
          return absl::PermissionDeniedError(
              "appeal: must be decided by a different moderator than the one "
              "who made the decision");
        }
        const bool overturn = request.outcome() == v1::APPEAL_OUTCOME_OVERTURN;
        tx.exec_params(
            "UPDATE appeals SET state = $3, outcome_note = $4, decided_by = "
            "$5, decide_time = now(),"
            " version = version + 1 WHERE tenant = $1 AND id = $2::uuid",
            name->tenant, name->id, overturn ? 3 : 2, request.note(),
            moderator);
        const common::Actor actor = ActorFor(caller);
        if (!appeal->queue_item().empty()) {
          const std::string item_id =
              appeal->queue_item().substr(appeal->queue_item().rfind('/') + 1);
          // The appeal's own decision record closes its queue item.
          const std::string decision_id = events::NewEventId();
          v1::Decision record;
          record.set_name(absl::StrCat("tenants/", name->tenant, "/decisions/",
                                       decision_id));
          record.set_queue_item(appeal->queue_item());
          *record.mutable_target() = appeal->target();
          record.set_action(overturn ? v1::DECISION_ACTION_APPROVE
                                     : v1::DECISION_ACTION_REJECT);
          record.set_resulting_state(overturn ? common::POST_STATE_PUBLISHED
                                              : common::POST_STATE_UNSPECIFIED);
          record.set_note(request.note());
          *record.mutable_moderator() = actor;
          *record.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(
              absl::ToUnixMicros(context.now()));
          tx.exec_params(
              "INSERT INTO decisions (tenant, id, queue_item_id, target_name, "
              "action, moderator,"
              " decision) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7)",
              name->tenant, decision_id, item_id, appeal->target().name(),
              static_cast<int>(record.action()), moderator,
              pqxx::binarystring(record.SerializeAsString()));
          CloseItem(tx, name->tenant, item_id, decision_id);
          if (overturn) {
            agora::events::v1::Event event =
                NewEvent(context, name->tenant, actor, appeal->target().name());
            agora::events::v1::ModerationDecided& payload =
                *event.mutable_moderation_decided();
            *payload.mutable_post() = appeal->target();
            payload.set_decision(record.name());
            payload.set_verdict(common::MODERATION_VERDICT_PUBLISH);
            payload.set_resulting_state(common::POST_STATE_PUBLISHED);
            payload.set_note(request.note());
            if (absl::Status s = AppendEvent(context, tx, event); !s.ok())
              return s;
          }
        }
        decided = *FindAppeal(tx, name->tenant, name->id, false);
        AuditRecord audit{
            v1::AUDIT_ENTRY_TYPE_APPEAL_DECIDED, actor, appeal->target().name(),
            absl::StrCat("{\"appeal\":\"", decided.name(), "\",\"overturned\":",
                         overturn ? "true" : "false", "}")};
        if (absl::Status e = AppendAuditEntry(tx, name->tenant, audit);
            !e.ok()) {
          return e;
        }
        agora::events::v1::Event event =
            NewEvent(context, name->tenant, actor, appeal->target().name());
        agora::events::v1::AppealDecided& payload =
            *event.mutable_appeal_decided();
        payload.set_appeal(decided.name());
        *payload.mutable_post() = decided.target();
        payload.set_appellant(decided.appellant());
        payload.set_overturned(overturn);
        payload.set_note(request.note());
        payload.set_decided_by(moderator);
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        SaveResponse(tx, key, decided);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return decided;
}

}  // namespace agora::moderation
