// Tenants as rows: loading, mapping to the Tenant message, and the checks
// every tenant-scoped write makes (the tenant exists and is not suspended).
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_STORE_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_STORE_H_

#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/pg/arrays.h"

namespace agora::identity {

struct TenantRecord {
  std::string id;
  std::string display_name;
  std::string default_language;
  std::vector<std::string> allowed_languages;
  std::string time_zone;
  v1::Tenant::State state = v1::Tenant::STATE_UNSPECIFIED;
  std::vector<std::string> hosts;
  std::vector<std::string> reserved_display_names;
  std::string terms_version;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;

  bool AllowsLanguage(absl::string_view language) const;
};

// The select list of a tenant row (alias t) for TenantFromRow.
extern const char kTenantColumns[];
TenantRecord TenantFromRow(const pqxx::row& row);

// NOT_FOUND when `id` names no tenant.
absl::StatusOr<TenantRecord> LoadTenant(pqxx::transaction_base& tx,
                                        absl::string_view id,
                                        bool for_update = false);

// The tenant, or FAILED_PRECONDITION when it is suspended (read-only).
absl::StatusOr<TenantRecord> LoadWritableTenant(pqxx::transaction_base& tx,
                                                absl::string_view id);

v1::Tenant ToTenantProto(const TenantRecord& tenant);
std::string TenantEtag(const TenantRecord& tenant);

// Text arrays to and from vectors (libs/pg/arrays.h).
using pg::ParseTextArray;
using pg::ToTextArray;

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_TENANT_STORE_H_
