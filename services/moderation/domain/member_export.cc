#include "services/moderation/domain/member_export.h"

#include <pqxx/pqxx>
#include <string>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/moderation/domain/tenant_access.h"
#include "services/moderation/repository/appeal_store.h"
#include "services/moderation/repository/flag_store.h"

namespace agora::moderation {
using google::protobuf::util::TimeUtil;

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
        for (const pqxx::row& row :
             tx.exec_params(absl::StrCat(kFlagSelect,
                                         " WHERE tenant = $1 AND reporter = $2"
                                         " ORDER BY create_time, id"),
                            tenant, member)) {
          v1::Flag flag = FlagFromRow(tenant, row);
          if (!moderator_fields) flag.clear_weight();
          *data.add_flags() = std::move(flag);
        }
        for (const pqxx::row& row :
             tx.exec_params(absl::StrCat(kAppealSelect,
                                         " WHERE tenant = $1 AND appellant = $2"
                                         " ORDER BY create_time, id"),
                            tenant, member)) {
          v1::Appeal appeal = AppealFromRow(tenant, row);
          if (!moderator_fields) appeal.clear_decided_by();
          *data.add_appeals() = std::move(appeal);
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
