#include "services/moderation/repository/flag_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"

namespace agora::moderation {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

const char kFlagSelect[] =
    "SELECT id::text, target_name, target_kind, reporter, reason, comment, "
    "weight, state,"
    " (extract(epoch FROM create_time) * 1000000)::bigint AS create_micros,"
    " (extract(epoch FROM resolve_time) * 1000000)::bigint AS resolve_micros "
    "FROM flags";

v1::Flag FlagFromRow(const std::string& tenant, const pqxx::row& row) {
  v1::Flag flag;
  flag.set_name(
      absl::StrCat("tenants/", tenant, "/flags/", row["id"].as<std::string>()));
  flag.mutable_target()->set_name(row["target_name"].as<std::string>());
  flag.mutable_target()->set_kind(
      static_cast<common::ContentKind>(row["target_kind"].as<int>()));
  flag.set_reason(static_cast<v1::FlagReason>(row["reason"].as<int>()));
  flag.set_comment(row["comment"].as<std::string>());
  flag.set_reporter(row["reporter"].as<std::string>());
  flag.set_weight(row["weight"].as<double>());
  flag.set_state(static_cast<v1::Flag::State>(row["state"].as<int>()));
  *flag.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row["create_micros"].as<int64_t>());
  if (!row["resolve_micros"].is_null()) {
    *flag.mutable_resolve_time() =
        TimeUtil::MicrosecondsToTimestamp(row["resolve_micros"].as<int64_t>());
  }
  return flag;
}

}  // namespace agora::moderation
