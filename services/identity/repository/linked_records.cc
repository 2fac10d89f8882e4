#include "services/identity/repository/linked_records.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {

const char kRoleChangeColumns[] =
    "id::text, member::text, role, granted, actor_type, actor_name, reason,"
    " (extract(epoch from create_time) * 1e6)::bigint";

std::vector<v1::ExternalIdentity> LoadExternalIdentities(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view member) {
  std::vector<v1::ExternalIdentity> identities;
  for (const auto& row : tx.exec_params(
           "SELECT id::text, provider, subject, email, email_verified,"
           " (extract(epoch from link_time) * 1e6)::bigint,"
           " (extract(epoch from last_login_time) * 1e6)::bigint"
           " FROM external_identities WHERE member = $1::uuid"
           " ORDER BY link_time LIMIT 100",
           std::string(member))) {
    v1::ExternalIdentity& identity = identities.emplace_back();
    identity.set_name(absl::StrCat(MemberResourceName(tenant, member),
                                   "/externalIdentities/",
                                   row[0].as<std::string>()));
    identity.set_provider(
        ProviderResourceName(tenant, row[1].as<std::string>()));
    identity.set_subject(row[2].as<std::string>());
    identity.set_email(row[3].as<std::string>());
    identity.set_email_verified(row[4].as<bool>());
    SetTimestamp(identity.mutable_link_time(),
                 absl::FromUnixMicros(row[5].as<int64_t>()));
    if (!row[6].is_null()) {
      SetTimestamp(identity.mutable_last_login_time(),
                   absl::FromUnixMicros(row[6].as<int64_t>()));
    }
  }
  return identities;
}

v1::RoleChange RoleChangeFromRow(const pqxx::row& row,
                                 absl::string_view tenant) {
  v1::RoleChange change;
  change.set_name(absl::StrCat("tenants/", tenant, "/roleChanges/",
                               row[0].as<std::string>()));
  change.set_member(MemberResourceName(tenant, row[1].as<std::string>()));
  change.set_role(RoleFromName(row[2].as<std::string>()));
  change.set_change(row[3].as<bool>() ? v1::RoleChange::CHANGE_GRANTED
                                      : v1::RoleChange::CHANGE_REVOKED);
  change.mutable_actor()->set_type(
      static_cast<common::v1::ActorType>(row[4].as<int>()));
  change.mutable_actor()->set_name(row[5].as<std::string>());
  change.set_reason(row[6].as<std::string>());
  SetTimestamp(change.mutable_create_time(),
               absl::FromUnixMicros(row[7].as<int64_t>()));
  return change;
}

}  // namespace agora::identity
