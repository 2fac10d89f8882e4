#include "services/moderation/domain/flags.h"

#include <algorithm>
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
#include "services/moderation/repository/audit_log.h"
#include "services/moderation/repository/flag_store.h"
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

double FlagWeight(int trust_level, double record_factor) {
  const double trust = 0.5 + 0.25 * std::clamp(trust_level, 0, 4);
  return trust * std::clamp(record_factor, 0.1, 1.0);
}

absl::StatusOr<v1::Flag> CreateFlag(ModerationContext& context,
                                    const auth::Principal& caller,
                                    const v1::CreateFlagRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireTenantMember(caller, *tenant);
      !allowed.ok())
    return allowed;
  const v1::Flag& flag = request.flag();
  absl::StatusOr<ResourceName> target = ParseResourceName(
      "flag.target.name", flag.target().name(), "posts", true);
  if (!target.ok()) return target.status();
  if (target->tenant != *tenant) {
    return absl::InvalidArgumentError(
        absl::StrCat("flag.target.name: must be a post of tenants/", *tenant));
  }
  if (flag.reason() == v1::FLAG_REASON_UNSPECIFIED ||
      !v1::FlagReason_IsValid(flag.reason())) {
    return absl::InvalidArgumentError("flag.reason: required");
  }
  if (absl::Status s = CheckLength("flag.comment", flag.comment(), 0, 500);
      !s.ok())
    return s;
  if (absl::Status s = ValidateRequestId(request.request_id()); !s.ok())
    return s;
  const std::string reporter = PrincipalName(caller);
  const IdempotencyKey key{*tenant, "CreateFlag", request.request_id(),
                           reporter};

  v1::Flag created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (FindSavedResponse(tx, key, created)) return absl::OkStatus();
        const pqxx::result record = tx.exec_params(
            "SELECT weight_factor FROM reporter_weights WHERE tenant = $1 AND "
            "reporter = $2",
            *tenant, reporter);
        const double weight =
            FlagWeight(caller.trust_level,
                       record.empty() ? 1.0 : record[0][0].as<double>());
        const std::string id = events::NewEventId();
        const pqxx::result inserted = tx.exec_params(
            "INSERT INTO flags (tenant, id, target_name, target_kind, "
            "reporter, reason, comment,"
            " weight, state) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1)"
            " ON CONFLICT (tenant, target_name, reporter) DO NOTHING RETURNING "
            "1",
            *tenant, id, flag.target().name(),
            static_cast<int>(flag.target().kind()), reporter,
            static_cast<int>(flag.reason()), flag.comment(), weight);
        if (inserted.empty()) {
          return absl::AlreadyExistsError(
              "flag: you have already flagged this post");
        }
        created = FlagFromRow(
            *tenant,
            tx.exec_params(
                absl::StrCat(kFlagSelect, " WHERE tenant = $1 AND id = $2"),
                *tenant, id)[0]);
        const double total =
            tx.exec_params1(
                  "SELECT coalesce(sum(weight), 0) FROM flags WHERE tenant = $1"
                  " AND target_name = $2 AND state = 1",
                  *tenant, flag.target().name())[0]
                .as<double>();
        const v1::ModerationPolicy policy = LoadPolicy(tx, *tenant);
        const std::optional<v1::QueueItem> open =
            FindOpenItemForTarget(tx, *tenant, flag.target().name());
        // The moment the open flags cross the threshold: hide and queue once.
        const bool reaches = total >= policy.flag_threshold() &&
                             total - weight < policy.flag_threshold();
        std::string queue_item;
        if (open || reaches) {
          NewQueueItem item;
          item.tenant = *tenant;
          item.target = flag.target();
          item.source = v1::QUEUE_SOURCE_FLAGGED;
          item.flag_weight = open ? weight : total;
          item.flag_count =
              open ? 1
                   : tx.exec_params1(
                           "SELECT count(*) FROM flags WHERE tenant = $1"
                           " AND target_name = $2 AND state = 1",
                           *tenant, flag.target().name())[0]
                         .as<int>();
          item.reasons = {common::MODERATION_REASON_FLAGGED};
          item.due_time =
              context.now() +
              absl::Seconds(TimeUtil::DurationToSeconds(policy.review_sla()));
          absl::StatusOr<v1::QueueItem> queued =
              InsertOrJoinQueueItem(tx, item);
          if (!queued.ok()) return queued.status();
          queue_item = queued->name();
        }
        const common::Actor actor = ActorFor(caller);
        AuditRecord audit{
            v1::AUDIT_ENTRY_TYPE_FLAG, actor, flag.target().name(),
            absl::StrCat("{\"flag\":\"", created.name(), "\",\"reason\":\"",
                         v1::FlagReason_Name(flag.reason()), "\",\"weight\":",
                         weight, ",\"total_weight\":", total, "}")};
        if (absl::Status e = AppendAuditEntry(tx, *tenant, audit); !e.ok()) {
          return e;
        }
        agora::events::v1::Event flagged =
            NewEvent(context, *tenant, actor, flag.target().name());
        agora::events::v1::PostFlagged& payload =
            *flagged.mutable_post_flagged();
        payload.set_flag(created.name());
        *payload.mutable_post() = flag.target();
        payload.set_reporter(reporter);
        payload.set_weight(weight);
        payload.set_total_weight(total);
        if (absl::Status s = AppendEvent(context, tx, flagged); !s.ok())
          return s;
        if (reaches) {
          AuditRecord threshold{
              v1::AUDIT_ENTRY_TYPE_FLAG_THRESHOLD, actor, flag.target().name(),
              absl::StrCat("{\"queue_item\":\"", queue_item,
                           "\",\"threshold\":", policy.flag_threshold(),
                           ",\"total_weight\":", total, "}")};
          if (absl::Status e = AppendAuditEntry(tx, *tenant, threshold);
              !e.ok()) {
            return e;
          }
          agora::events::v1::Event reached =
              NewEvent(context, *tenant, actor, flag.target().name());
          agora::events::v1::FlagThresholdReached& hit =
              *reached.mutable_flag_threshold_reached();
          *hit.mutable_post() = flag.target();
          hit.set_total_weight(total);
          hit.set_threshold(policy.flag_threshold());
          hit.set_queue_item(queue_item);
          if (absl::Status s = AppendEvent(context, tx, reached); !s.ok())
            return s;
        }
        SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::ListFlagsResponse> ListFlags(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ListFlagsRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantParent("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  std::string reporter = request.reporter();
  if (!RequireModerator(caller, *tenant).ok()) {
    if (absl::Status s = RequireTenantMember(caller, *tenant); !s.ok())
      return s;
    const std::string self = PrincipalName(caller);
    if (!reporter.empty() && reporter != self) {
      return absl::PermissionDeniedError("members see only their own flags");
    }
    reporter = self;
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<int64_t> offset = DecodeOffsetToken(request.page_token());
  if (!offset.ok()) return offset.status();
  v1::ListFlagsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        const pqxx::result rows = tx.exec_params(
            absl::StrCat(
                kFlagSelect,
                " WHERE tenant = $1 AND ($2 = '' OR target_name = $2)"
                " AND ($3 = '' OR reporter = $3) AND ($4 = 0 OR state = $4)"
                " ORDER BY create_time DESC, id LIMIT $5 OFFSET $6"),
            *tenant, request.target(), reporter,
            static_cast<int>(request.state()), *page_size + 1, *offset);
        for (const pqxx::row& row : rows) {
          if (response.flags_size() == *page_size) {
            response.set_next_page_token(
                EncodePageToken(absl::StrCat(*offset + *page_size)));
            break;
          }
          *response.add_flags() = FlagFromRow(*tenant, row);
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

int SettleFlags(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& target_name, bool upheld) {
  const pqxx::result settled = tx.exec_params(
      "UPDATE flags SET state = $3, resolve_time = now() WHERE tenant = $1"
      " AND target_name = $2 AND state = 1 RETURNING reporter",
      tenant, target_name, upheld ? 2 : 3);
  for (const pqxx::row& row : settled) {
    // A wrong flag costs a fifth of the reporter's weight (never below
    // 0.1); a right one gives a tenth back (never above 1).
    tx.exec_params(
        "INSERT INTO reporter_weights (tenant, reporter, weight_factor, "
        "upheld, dismissed)"
        " VALUES ($1, $2, CASE WHEN $3 THEN 1.0 ELSE 0.8 END, $3::int, (NOT "
        "$3)::int)"
        " ON CONFLICT (tenant, reporter) DO UPDATE SET weight_factor = CASE "
        "WHEN $3"
        " THEN LEAST(1.0, reporter_weights.weight_factor + 0.1)"
        " ELSE GREATEST(0.1, reporter_weights.weight_factor * 0.8) END,"
        " upheld = reporter_weights.upheld + $3::int,"
        " dismissed = reporter_weights.dismissed + (NOT $3)::int",
        tenant, row[0].as<std::string>(), upheld);
  }
  return static_cast<int>(settled.size());
}

}  // namespace agora::moderation
