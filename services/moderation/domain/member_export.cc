#include "services/moderation/domain/member_export.h"

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/tenant_access.h"

namespace agora::moderation {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

v1::Flag FlagFromRow(const std::string& tenant, const pqxx::row& row,
                     bool moderator_fields) {
  v1::Flag flag;
  flag.set_name(
      absl::StrCat("tenants/", tenant, "/flags/", row["id"].as<std::string>()));
  flag.mutable_target()->set_name(row["target_name"].as<std::string>());
  flag.mutable_target()->set_kind(
      static_cast<common::ContentKind>(row["target_kind"].as<int>()));
  flag.set_reason(static_cast<v1::FlagReason>(row["reason"].as<int>()));
  flag.set_comment(row["comment"].as<std::string>());
  flag.set_reporter(row["reporter"].as<std::string>());
  if (moderator_fields) flag.set_weight(row["weight"].as<double>());
  flag.set_state(static_cast<v1::Flag::State>(row["state"].as<int>()));
  *flag.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row["create_micros"].as<int64_t>());
  if (!row["resolve_micros"].is_null()) {
    *flag.mutable_resolve_time() =
        TimeUtil::MicrosecondsToTimestamp(row["resolve_micros"].as<int64_t>());
  }
  return flag;
}

v1::Appeal AppealFromRow(const std::string& tenant, const pqxx::row& row,
                         bool moderator_fields) {
  const std::string prefix = absl::StrCat("tenants/", tenant);
  v1::Appeal appeal;
  appeal.set_name(
      absl::StrCat(prefix, "/appeals/", row["id"].as<std::string>()));
  appeal.set_decision(absl::StrCat(prefix, "/decisions/",
                                   row["decision_id"].as<std::string>()));
  appeal.mutable_target()->set_name(row["target_name"].as<std::string>());
  appeal.mutable_target()->set_kind(
      static_cast<common::ContentKind>(row["target_kind"].as<int>()));
  appeal.set_appellant(row["appellant"].as<std::string>());
  appeal.set_statement(row["statement"].as<std::string>());
  appeal.set_state(static_cast<v1::Appeal::State>(row["state"].as<int>()));
  appeal.set_outcome_note(row["outcome_note"].as<std::string>());
  if (moderator_fields && !row["decided_by"].is_null()) {
    appeal.mutable_decided_by()->set_type(common::ACTOR_TYPE_MEMBER);
    appeal.mutable_decided_by()->set_name(row["decided_by"].as<std::string>());
  }
  if (!row["queue_item_id"].is_null()) {
    appeal.set_queue_item(absl::StrCat(prefix, "/queueItems/",
                                       row["queue_item_id"].as<std::string>()));
  }
  appeal.set_etag(row["version"].as<std::string>());
  *appeal.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row["create_micros"].as<int64_t>());
  if (!row["decide_micros"].is_null()) {
    *appeal.mutable_decide_time() =
        TimeUtil::MicrosecondsToTimestamp(row["decide_micros"].as<int64_t>());
  }
  return appeal;
}

}  // namespace

absl::StatusOr<v1::MemberModerationData> ExportMemberData(
    ModerationContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName("name", request.name(), "members", true);
  if (!name.ok()) return name.status();
  const std::string& tenant = name->tenant;
  const bool self = name->id == "me" ||
                    (!caller.is_service_account && caller.tenant == tenant &&
                     caller.subject == name->id);
  if (name->id == "me" && caller.is_service_account) {
    return absl::InvalidArgumentError(
        "name: \"me\" names a member; service accounts have no export");
  }
  if (self) {
    if (absl::Status s = RequireTenantMember(caller, tenant); !s.ok()) {
      return s;
    }
  } else if (absl::Status s = RequireTenantAdmin(caller, tenant); !s.ok()) {
    return absl::PermissionDeniedError(
        "only the member themself or a tenant admin may export a member's "
        "data");
  }
  const std::string member = absl::StrCat("tenants/", tenant, "/members/",
                                          self ? caller.subject : name->id);
  // The member sees what they provided and its outcome; who weighed or
  // decided it is staff data.
  const bool moderator_fields = !self;

  v1::MemberModerationData data;
  absl::Status read = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        data.Clear();
        data.set_member(member);
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT id::text, target_name, target_kind, reporter, reason,"
                 " comment, weight, state,"
                 " (extract(epoch FROM create_time) * 1000000)::bigint"
                 "  AS create_micros,"
                 " (extract(epoch FROM resolve_time) * 1000000)::bigint"
                 "  AS resolve_micros"
                 " FROM flags WHERE tenant = $1 AND reporter = $2"
                 " ORDER BY create_time, id",
                 tenant, member)) {
          *data.add_flags() = FlagFromRow(tenant, row, moderator_fields);
        }
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT id::text, decision_id::text, target_name, target_kind,"
                 " appellant, statement, state, outcome_note, decided_by,"
                 " queue_item_id::text, version,"
                 " (extract(epoch FROM create_time) * 1000000)::bigint"
                 "  AS create_micros,"
                 " (extract(epoch FROM decide_time) * 1000000)::bigint"
                 "  AS decide_micros"
                 " FROM appeals WHERE tenant = $1 AND appellant = $2"
                 " ORDER BY create_time, id",
                 tenant, member)) {
          *data.add_appeals() = AppealFromRow(tenant, row, moderator_fields);
        }
        *data.mutable_export_time() = TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(context.now()));
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!read.ok()) return read;
  return data;
}

}  // namespace agora::moderation
