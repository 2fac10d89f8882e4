#include "services/moderation/domain/tenant_access.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/roles.h"

namespace agora::moderation {
namespace {

bool IsId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || (c >= 'A' && c <= 'Z');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<ResourceName> ParseResourceName(absl::string_view field,
                                               absl::string_view name,
                                               absl::string_view collection,
                                               bool id_required) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  std::string expected = collection.empty()
                             ? "tenants/{tenant}"
                             : absl::StrCat("tenants/{tenant}/", collection);
  if (id_required) absl::StrAppend(&expected, "/{id}");
  const size_t want = 2 + (collection.empty() ? 0 : 1) + (id_required ? 1 : 0);
  if (name.size() > 300 || parts.size() != want || parts[0] != "tenants" ||
      !IsId(parts[1]) || (!collection.empty() && parts[2] != collection) ||
      (id_required && !IsId(parts.back()))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", expected));
  }
  ResourceName parsed;
  parsed.tenant = std::string(parts[1]);
  parsed.collection = std::string(collection);
  if (id_required) parsed.id = std::string(parts.back());
  return parsed;
}

absl::StatusOr<std::string> ParseTenantParent(absl::string_view field,
                                              absl::string_view parent) {
  absl::StatusOr<ResourceName> name =
      ParseResourceName(field, parent, "", false);
  if (!name.ok()) return name.status();
  return name->tenant;
}

absl::Status RequireModerator(const auth::Principal& principal,
                              absl::string_view tenant) {
  return RequireTenantRole(principal, tenant,
                           {auth::kRoleModerator, auth::kRoleTenantAdmin});
}

absl::Status RequireTenantAdmin(const auth::Principal& principal,
                                absl::string_view tenant) {
  return RequireTenantRole(principal, tenant, {auth::kRoleTenantAdmin});
}

absl::Status RequireTenantMember(const auth::Principal& principal,
                                 absl::string_view tenant) {
  return auth::RequireTenant(principal, tenant);
}

}  // namespace agora::moderation
