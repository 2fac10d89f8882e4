#include "services/moderation/domain/review_queue.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/event_record.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/engine_adapter.h"
#include "services/moderation/domain/flags.h"
#include "services/moderation/domain/moderation_events.h"
#include "services/moderation/domain/paging.h"
#include "services/moderation/domain/rules_cache.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/domain/text_limits.h"
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

constexpr absl::Duration kDefaultLease = absl::Minutes(10);
constexpr absl::Duration kMaxLease = absl::Hours(2);

absl::StatusOr<absl::Duration> LeaseOf(
    const google::protobuf::Duration& requested, bool present) {
  if (!present) return kDefaultLease;
  const absl::Duration lease =
      absl::Seconds(TimeUtil::DurationToSeconds(requested));
  if (lease < absl::Minutes(1) || lease > kMaxLease) {
    return absl::InvalidArgumentError("lease_duration: 1 minute to 2 hours");
  }
  return lease;
}

absl::StatusOr<ResourceName> ItemName(absl::string_view field,
                                      const std::string& name) {
  return ParseResourceName(field, name, "queueItems", true);
}

QueueFilter FilterFrom(const v1::ListQueueItemsRequest& request) {
  QueueFilter filter;
  for (int state : request.states()) filter.states.push_back(state);
  for (int source : request.sources()) filter.sources.push_back(source);
  for (int kind : request.kinds()) filter.kinds.push_back(kind);
  filter.space = request.space();
  filter.claimed_by = request.claimed_by();
  filter.author = request.author();
  filter.target = request.target();
  filter.overdue_only = request.overdue_only();
  filter.order = request.order_by();
  return filter;
}

common::PostState ResultingState(v1::DecisionAction action) {
  switch (action) {
    case v1::DECISION_ACTION_APPROVE:
    case v1::DECISION_ACTION_EDIT_AND_APPROVE:
      return common::POST_STATE_PUBLISHED;
    case v1::DECISION_ACTION_REJECT:
      return common::POST_STATE_REJECTED;
    case v1::DECISION_ACTION_REMOVE:
      return common::POST_STATE_REMOVED;
    default:
      return common::POST_STATE_PENDING;
  }
}

absl::Status ValidateDecide(const v1::DecideRequest& request,
                            absl::string_view prefix) {
  if (request.action() == v1::DECISION_ACTION_UNSPECIFIED ||
      !v1::DecisionAction_IsValid(request.action())) {
    return absl::InvalidArgumentError(absl::StrCat(prefix, "action: required"));
  }
  if (absl::Status s =
          CheckLength(absl::StrCat(prefix, "note"), request.note(), 0, 2000);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLength(absl::StrCat(prefix, "internal_note"),
                                   request.internal_note(), 0, 2000);
      !s.ok()) {
    return s;
  }
  const bool edits =
      !request.edited_title().empty() || !request.edited_body().empty();
  if (request.action() == v1::DECISION_ACTION_EDIT_AND_APPROVE) {
    if (!edits) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "edited_body: required with EDIT_AND_APPROVE"));
    }
  } else if (edits) {
    return absl::InvalidArgumentError(
        absl::StrCat(prefix, "edited_title: only with EDIT_AND_APPROVE"));
  }
  if (absl::Status s = CheckLength(absl::StrCat(prefix, "edited_title"),
                                   request.edited_title(), 0, 200);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = CheckLength(absl::StrCat(prefix, "edited_body"),
                                   request.edited_body(), 0, 40000);
      !s.ok()) {
    return s;
  }
  if (request.action() == v1::DECISION_ACTION_REJECT ||
      request.action() == v1::DECISION_ACTION_REMOVE) {
    if (request.reasons().empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          prefix, "reasons: at least one, the author is told why"));
    }
  }
  return ValidateRequestId(request.request_id());
}

// Decides one item inside `tx` (shared by Decide and BatchDecide).
absl::StatusOr<v1::Decision> DecideInTransaction(
    ModerationContext& context, pqxx::transaction_base& tx,
    const auth::Principal& caller, const std::string& tenant,
    const std::string& item_id, const v1::DecideRequest& request) {
  const std::string moderator = PrincipalName(caller);
  std::optional<v1::QueueItem> item = FindQueueItem(tx, tenant, item_id, true);
  if (!item)
    return absl::NotFoundError(
        absl::StrCat("queue item ", item_id, " not found"));
  if (item->state() != v1::QueueItem::STATE_OPEN &&
      item->state() != v1::QueueItem::STATE_CLAIMED) {
    return absl::FailedPreconditionError("queue item: already decided");
  }
  if (item->state() == v1::QueueItem::STATE_CLAIMED &&
      item->claimed_by() != moderator &&
      TimeUtil::TimestampToMicroseconds(item->lease_expire_time()) >
          absl::ToUnixMicros(context.now())) {
    return absl::FailedPreconditionError(
        "queue item: claimed by another moderator");
  }
  if (!request.etag().empty() && request.etag() != item->etag()) {
    return absl::FailedPreconditionError(
        "etag: the queue item changed since it was read");
  }
  if (item->source() == v1::QUEUE_SOURCE_APPEAL) {
    return absl::FailedPreconditionError(
        "queue item: an appeal, decide it with DecideAppeal");
  }
  const v1::ModerationPolicy policy = LoadPolicy(tx, tenant);
  const absl::Time now = context.now();
  const common::Actor actor = ActorFor(caller);

  v1::Decision decision;
  const std::string decision_id = events::NewEventId();
  decision.set_name(
      absl::StrCat("tenants/", tenant, "/decisions/", decision_id));
  decision.set_queue_item(item->name());
  *decision.mutable_target() = item->target();
  decision.set_action(request.action());
  decision.set_resulting_state(ResultingState(request.action()));
  for (int reason : request.reasons()) {
    decision.add_reasons(static_cast<common::ModerationReason>(reason));
  }
  decision.set_note(request.note());
  decision.set_internal_note(request.internal_note());
  *decision.mutable_moderator() = actor;
  *decision.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(now));
  if (request.action() != v1::DECISION_ACTION_APPROVE &&
      request.action() != v1::DECISION_ACTION_ESCALATE) {
    *decision.mutable_appeal_deadline() = TimeUtil::MicrosecondsToTimestamp(
        absl::ToUnixMicros(now + absl::Seconds(TimeUtil::DurationToSeconds(
                                     policy.appeal_window()))));
  }

  // A moderator's edit is screened too: personal data stays masked.
  std::string edited_title, edited_body;
  if (request.action() == v1::DECISION_ACTION_EDIT_AND_APPROVE) {
    absl::StatusOr<std::shared_ptr<const TenantScreeningSetup>> setup =
        context.rules.Get(tx, tenant);
    if (!setup.ok()) return setup.status();
    screening::ScreeningInput input;
    input.language = "";
    input.trust_level = common::TRUST_LEVEL_LEADER;
    input.author_is_staff = true;
    input.texts = {{"title", request.edited_title()},
                   {"body", request.edited_body()}};
    const screening::ScreeningResult masked =
        screening::Screener().Screen(input, *(*setup)->rules);
    edited_title = masked.masked_texts[0].text;
    edited_body = masked.masked_texts[1].text;
  }

  tx.exec_params(
      "INSERT INTO decisions (tenant, id, queue_item_id, target_name, action, "
      "moderator,"
      " decision) VALUES ($1, $2, $3::uuid, $4, $5, $6, $7)",
      tenant, decision_id, item_id, item->target().name(),
      static_cast<int>(request.action()), moderator,
      pqxx::binarystring(decision.SerializeAsString()));
  if (request.action() == v1::DECISION_ACTION_ESCALATE) {
    EscalateItem(tx, tenant, item_id);
  } else {
    CloseItem(tx, tenant, item_id, decision_id);
    const bool upheld = request.action() == v1::DECISION_ACTION_REJECT ||
                        request.action() == v1::DECISION_ACTION_REMOVE;
    SettleFlags(tx, tenant, item->target().name(), upheld);
    agora::events::v1::Event event =
        NewEvent(context, tenant, actor, item->target().name());
    agora::events::v1::ModerationDecided& decided =
        *event.mutable_moderation_decided();
    *decided.mutable_post() = item->target();
    decided.set_decision(decision.name());
    decided.set_verdict(upheld ? common::MODERATION_VERDICT_REJECT
                               : common::MODERATION_VERDICT_PUBLISH);
    decided.set_resulting_state(decision.resulting_state());
    for (int reason : request.reasons()) {
      decided.add_reasons(static_cast<common::ModerationReason>(reason));
    }
    decided.set_note(request.note());
    decided.set_edited(request.action() ==
                       v1::DECISION_ACTION_EDIT_AND_APPROVE);
    decided.set_edited_title(edited_title);
    decided.set_edited_body(edited_body);
    if (decision.has_appeal_deadline())
      *decided.mutable_appeal_deadline() = decision.appeal_deadline();
    if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
  }
  AuditRecord audit{
      v1::AUDIT_ENTRY_TYPE_DECISION, actor, item->target().name(),
      absl::StrCat("{\"action\":\"", v1::DecisionAction_Name(request.action()),
                   "\",\"decision\":\"", decision.name(),
                   "\",\"queue_item\":\"", item->name(), "\"}")};
  if (absl::Status e = AppendAuditEntry(tx, tenant, audit); !e.ok()) {
    return e;
  }
  return decision;
}

}  // namespace

absl::StatusOr<v1::ListQueueItemsResponse> ListQueueItems(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ListQueueItemsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModerator(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> offset = DecodeOffsetToken(request.page_token());
  if (!offset.ok()) return offset.status();
  v1::ListQueueItemsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        QueuePage page =
            ListQueue(tx, *tenant, FilterFrom(request), *offset, *page_size);
        response.Clear();
        for (v1::QueueItem& item : page.items)
          *response.add_queue_items() = std::move(item);
        response.set_next_page_token(EncodePageToken(page.next_key));
        response.set_total_size(page.total);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::QueueItem> GetQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const v1::GetQueueItemRequest& request) {
  absl::StatusOr<ResourceName> name = ItemName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireTenantMember(caller, name->tenant); !s.ok())
    return s;
  const bool moderator = RequireModerator(caller, name->tenant).ok();
  std::optional<v1::QueueItem> item;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        item = FindQueueItem(tx, name->tenant, name->id, false);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  // A member may see only the items of their own posts; others' items are
  // reported as absent, not forbidden, so that ids reveal nothing.
  if (!item || (!moderator && item->author() != PrincipalName(caller))) {
    return absl::NotFoundError("queue item not found");
  }
  if (!moderator) {
    item->clear_claimed_by();
    item->clear_findings();
    item->clear_flag_weight();
    item->clear_flag_count();
    item->clear_priority();
  }
  return *item;
}

absl::StatusOr<v1::QueueItem> ClaimQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ClaimQueueItemRequest& request) {
  absl::StatusOr<ResourceName> name = ItemName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok())
    return s;
  absl::StatusOr<absl::Duration> lease =
      LeaseOf(request.lease_duration(), request.has_lease_duration());
  if (!lease.ok()) return lease.status();
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok())
    return s;
  absl::StatusOr<v1::QueueItem> claimed;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        claimed = ClaimItem(tx, name->tenant, name->id, PrincipalName(caller),
                            *lease);
        if (!claimed.ok()) return claimed.status();
        AuditRecord audit{
            v1::AUDIT_ENTRY_TYPE_CLAIM, ActorFor(caller),
            claimed->target().name(),
            absl::StrCat("{\"queue_item\":\"", claimed->name(), "\"}")};
        return AppendAuditEntry(tx, name->tenant, audit);
      });
  if (!status.ok()) return status;
  return claimed;
}

absl::StatusOr<v1::QueueItem> ClaimNextQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ClaimNextQueueItemRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModerator(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<absl::Duration> lease =
      LeaseOf(request.lease_duration(), request.has_lease_duration());
  if (!lease.ok()) return lease.status();
  QueueFilter filter;
  for (int source : request.sources()) filter.sources.push_back(source);
  for (int kind : request.kinds()) filter.kinds.push_back(kind);
  filter.space = request.space();
  absl::StatusOr<v1::QueueItem> claimed;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        claimed =
            ClaimNextItem(tx, *tenant, filter, PrincipalName(caller), *lease);
        if (!claimed.ok()) return claimed.status();
        AuditRecord audit{
            v1::AUDIT_ENTRY_TYPE_CLAIM, ActorFor(caller),
            claimed->target().name(),
            absl::StrCat("{\"queue_item\":\"", claimed->name(), "\"}")};
        return AppendAuditEntry(tx, *tenant, audit);
      });
  if (!status.ok()) return status;
  return claimed;
}

absl::StatusOr<v1::QueueItem> ReleaseQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ReleaseQueueItemRequest& request) {
  absl::StatusOr<ResourceName> name = ItemName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok())
    return s;
  const bool force = RequireTenantAdmin(caller, name->tenant).ok();
  absl::StatusOr<v1::QueueItem> released;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        released = ReleaseItem(tx, name->tenant, name->id,
                               PrincipalName(caller), force);
        return released.status();
      });
  if (!status.ok()) return status;
  return released;
}

absl::StatusOr<v1::Decision> DecideQueueItem(ModerationContext& context,
                                             const auth::Principal& caller,
                                             const v1::DecideRequest& request) {
  absl::StatusOr<ResourceName> name = ItemName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModerator(caller, name->tenant); !s.ok())
    return s;
  if (absl::Status s = ValidateDecide(request, ""); !s.ok()) return s;
  const IdempotencyKey key{name->tenant, "Decide", request.request_id(),
                           PrincipalName(caller)};
  v1::Decision decision;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, decision)) return absl::OkStatus();
        absl::StatusOr<v1::Decision> made = DecideInTransaction(
            context, tx, caller, name->tenant, name->id, request);
        if (!made.ok()) return made.status();
        decision = *std::move(made);
        SaveResponse(tx, key, decision);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return decision;
}

absl::StatusOr<v1::BatchDecideResponse> BatchDecideQueueItems(
    ModerationContext& context, const auth::Principal& caller,
    const v1::BatchDecideRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModerator(caller, *tenant); !s.ok()) return s;
  if (request.requests().empty() || request.requests_size() > 100) {
    return absl::InvalidArgumentError("requests: 1-100 decisions");
  }
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok())
    return s;
  std::vector<std::string> ids;
  for (int i = 0; i < request.requests_size(); ++i) {
    const std::string prefix = absl::StrCat("requests[", i, "].");
    absl::StatusOr<ResourceName> name =
        ItemName(prefix + "name", request.requests(i).name());
    if (!name.ok()) return name.status();
    if (name->tenant != *tenant) {
      return absl::InvalidArgumentError(
          absl::StrCat(prefix, "name: must be in ", request.parent()));
    }
    if (absl::Status s = ValidateDecide(request.requests(i), prefix); !s.ok())
      return s;
    ids.push_back(name->id);
  }
  const IdempotencyKey key{*tenant, "BatchDecide", request.request_id(),
                           PrincipalName(caller)};
  v1::BatchDecideResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        if (FindSavedResponse(tx, key, response)) return absl::OkStatus();
        for (int i = 0; i < request.requests_size(); ++i) {
          absl::StatusOr<v1::Decision> made = DecideInTransaction(
              context, tx, caller, *tenant, ids[i], request.requests(i));
          if (!made.ok()) {
            // All or nothing: the whole batch rolls back, naming the culprit.
            return absl::Status(
                made.status().code(),
                absl::StrCat("requests[", i, "]: ", made.status().message()));
          }
          *response.add_decisions() = *std::move(made);
        }
        SaveResponse(tx, key, response);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace agora::moderation
