// The writes of the tenant admin RPCs (domain/tenants.h): tenant rows, the
// host names the gateway maps to tenants (unique across tenants, claimed in
// table tenant_hosts) and the id-ordered listing. Reads of one tenant are
// in tenant_store.h.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_ADMIN_STORE_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_ADMIN_STORE_H_

#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {

// Inserts `tenant` (version 1, created and updated `now`) and returns it as
// stored; nullopt when its id is taken.
std::optional<TenantRecord> InsertTenantRow(pqxx::transaction_base& tx,
                                            const TenantRecord& tenant,
                                            absl::Time now);

// Writes every mutable column of `tenant`, bumps its version and returns
// the stored row.
TenantRecord UpdateTenantRow(pqxx::transaction_base& tx,
                             const TenantRecord& tenant, absl::Time now);

// Makes `hosts` the tenant's host names. Returns the first one another
// tenant already holds (nothing is claimed then; the caller rolls back),
// nullopt on success. Concurrent claims of one host wait for each other.
std::optional<std::string> ClaimTenantHosts(
    pqxx::transaction_base& tx, absl::string_view tenant,
    const std::vector<std::string>& hosts);

// Up to `limit` tenants with an id after `after_id` ("" from the start), by
// id.
std::vector<TenantRecord> ListTenantRows(pqxx::transaction_base& tx,
                                         absl::string_view after_id, int limit);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_ADMIN_STORE_H_
