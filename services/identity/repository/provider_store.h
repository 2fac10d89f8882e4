// Identity providers as rows: the one place that knows the
// identity_providers table's columns. Social sign-in loads a provider with
// LoadProvider; the admin RPCs (domain/identity_providers.h) write them.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_PROVIDER_STORE_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_PROVIDER_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/identity/v1/identity.pb.h"

namespace agora::identity {

struct ProviderRecord {
  std::string tenant;
  std::string id;
  v1::IdentityProvider::Type type = v1::IdentityProvider::TYPE_UNSPECIFIED;
  std::string display_name;
  int display_order = 0;
  bool enabled = false;
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string userinfo_endpoint;  // "" when not configured
  std::string jwks_uri;           // "" for TYPE_X
  std::string client_id;
  // "env:NAME" or "file:/path": where the secret is, never the secret.
  std::string client_secret_source;
  std::vector<std::string> scopes;
  std::vector<std::string> allowed_redirect_uris;
  absl::Time create_time;
  absl::Time update_time;
  int64_t version = 1;
};

// The provider `id` of `tenant`; NOT_FOUND when there is none.
absl::StatusOr<ProviderRecord> LoadProvider(pqxx::transaction_base& tx,
                                            absl::string_view tenant,
                                            absl::string_view id,
                                            bool for_update = false);

// The message of a provider. `full` false gives the public view anonymous
// callers get (to draw sign-in buttons): name, type, display_name and
// display_order only, never endpoints, client id or secret source.
v1::IdentityProvider ToProviderProto(const ProviderRecord& provider, bool full);

std::string ProviderEtag(const ProviderRecord& provider);

// Inserts `provider` (version 1, created `now`); nullopt when its id is
// taken in the tenant.
std::optional<ProviderRecord> InsertProviderRow(pqxx::transaction_base& tx,
                                                const ProviderRecord& provider,
                                                absl::Time now);

// Writes every mutable column (all but tenant, id and type), bumps the
// version and returns the stored row.
ProviderRecord UpdateProviderRow(pqxx::transaction_base& tx,
                                 const ProviderRecord& provider,
                                 absl::Time now);

void DeleteProviderRow(pqxx::transaction_base& tx, absl::string_view tenant,
                       absl::string_view id);

// Where a page of providers ends: lists are ordered by (display_order, id).
struct ProviderPosition {
  int display_order = 0;
  std::string id;
};

// Up to `limit` providers of `tenant` after `after` (from the start when
// unset), enabled ones only when `enabled_only`.
std::vector<ProviderRecord> ListProviderRows(
    pqxx::transaction_base& tx, absl::string_view tenant, bool enabled_only,
    const std::optional<ProviderPosition>& after, int limit);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_PROVIDER_STORE_H_
