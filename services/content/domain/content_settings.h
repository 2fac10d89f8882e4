// A tenant's content settings (AIP singleton tenants/{t}/contentSettings):
// the idea workflow, edit window, erased-member policy, accountability
// target, posting rate and allowed media hosts. Defaults until a tenant
// admin changes them.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_SETTINGS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_SETTINGS_H_

#include <cstdint>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// The settings a tenant starts with: submitted → under review → planned →
// in progress → delivered, or declined (from any open status); 24 h edit
// window; authorship anonymised on erasure; 30-day response target; 30
// posts an hour; no media host.
v1::ContentSettings DefaultContentSettings(const std::string& tenant);

struct StoredSettings {
  v1::ContentSettings settings;  // with name and etag
  int64_t version = 0;           // 0: defaults, never stored
};
StoredSettings LoadContentSettings(pqxx::transaction_base& tx,
                                   const std::string& tenant);

// True when the workflow allows `from` → `to` (DUPLICATE only by merge).
bool TransitionAllowed(const v1::IdeaWorkflow& workflow,
                       common::v1::IdeaStatus from, common::v1::IdeaStatus to);

// Anonymous callers may read them. NOT_FOUND for a tenant content has not
// heard of from identity.
absl::StatusOr<v1::ContentSettings> GetContentSettings(
    ContentContext& context, const v1::GetContentSettingsRequest& request);

// Tenant admins of the tenant.
absl::StatusOr<v1::ContentSettings> UpdateContentSettings(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateContentSettingsRequest& request);

// NOT_FOUND unless identity announced `tenant`.
absl::Status RequireKnownTenant(pqxx::transaction_base& tx,
                                const std::string& tenant);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_CONTENT_SETTINGS_H_
