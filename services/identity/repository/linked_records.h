// The rows other records of a member are mapped from, in one place each:
// linked provider identities (listed by the member, exported under GDPR)
// and role changes (listed by tenant admins, exported under GDPR).
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_LINKED_RECORDS_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_LINKED_RECORDS_H_

#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "agora/identity/v1/identity.pb.h"

namespace agora::identity {

// The identities linked to `member` of `tenant`, oldest first (a member has
// a handful: at most 100 are returned).
std::vector<v1::ExternalIdentity> LoadExternalIdentities(
    pqxx::transaction_base& tx, absl::string_view tenant,
    absl::string_view member);

// The select list of a role_changes row for RoleChangeFromRow; its last
// column is create_time in microseconds (the keyset position).
extern const char kRoleChangeColumns[];
v1::RoleChange RoleChangeFromRow(const pqxx::row& row,
                                 absl::string_view tenant);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_LINKED_RECORDS_H_
