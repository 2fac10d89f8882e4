#include "services/moderation/repository/appeal_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "services/moderation/repository/uuid.h"

namespace agora::moderation {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

const char kAppealSelect[] =
    "SELECT id::text, decision_id::text, target_name, target_kind, appellant, "
    "statement, state,"
    " first_moderator, outcome_note, decided_by, queue_item_id::text, version,"
    " (extract(epoch FROM create_time) * 1000000)::bigint AS create_micros,"
    " (extract(epoch FROM decide_time) * 1000000)::bigint AS decide_micros "
    "FROM appeals";

v1::Appeal AppealFromRow(const std::string& tenant, const pqxx::row& row) {
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
  if (!row["decided_by"].is_null()) {
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

std::optional<v1::Appeal> FindAppeal(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const std::string& id, bool for_update) {
  if (!IsUuid(id))
    return std::nullopt;  // cannot exist; and keeps the cast safe
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(kAppealSelect, " WHERE tenant = $1 AND id = $2::uuid",
                   for_update ? " FOR UPDATE" : ""),
      tenant, id);
  if (rows.empty()) return std::nullopt;
  return AppealFromRow(tenant, rows[0]);
}

}  // namespace agora::moderation
