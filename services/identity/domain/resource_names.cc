#include "services/identity/domain/resource_names.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "libs/auth/roles.h"
#include "services/identity/domain/text_rules.h"

namespace agora::identity {
namespace {

absl::Status Malformed(absl::string_view field, absl::string_view pattern) {
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": must be of the form ", pattern));
}

}  // namespace

bool IsUuid(absl::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !absl::ascii_isxdigit(text[i])) return false;
  }
  return true;
}

absl::Status ValidateTenantId(absl::string_view field, absl::string_view id) {
  return ValidateId(field, id, 2, 32);
}

absl::StatusOr<std::string> ParseTenantName(absl::string_view field,
                                            absl::string_view name) {
  absl::string_view id = name;
  if (!absl::ConsumePrefix(&id, "tenants/") ||
      !ValidateTenantId(field, id).ok()) {
    return Malformed(field, "tenants/{tenant}");
  }
  return std::string(id);
}

absl::StatusOr<MemberName> ParseMemberName(absl::string_view field,
                                           absl::string_view name,
                                           const auth::Principal* caller,
                                           absl::string_view suffix) {
  const std::string pattern =
      absl::StrCat("tenants/{tenant}/members/{member}", suffix);
  absl::string_view rest = name;
  if (!absl::ConsumeSuffix(&rest, suffix)) return Malformed(field, pattern);
  const std::vector<absl::string_view> parts = absl::StrSplit(rest, '/');
  if (parts.size() != 4 || parts[0] != "tenants" || parts[2] != "members" ||
      !ValidateTenantId(field, parts[1]).ok()) {
    return Malformed(field, pattern);
  }
  MemberName parsed{std::string(parts[1]), std::string(parts[3])};
  if (parsed.member == "me") {
    if (caller == nullptr || caller->is_service_account ||
        caller->tenant != parsed.tenant) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": \"me\" needs a signed-in member of this tenant"));
    }
    parsed.member = caller->subject;
  }
  if (!IsUuid(parsed.member)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the member id must be a UUID or \"me\""));
  }
  parsed.member = absl::AsciiStrToLower(parsed.member);
  return parsed;
}

absl::StatusOr<ChildName> ParseProviderName(absl::string_view field,
                                            absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 4 || parts[0] != "tenants" ||
      parts[2] != "identityProviders" ||
      !ValidateTenantId(field, parts[1]).ok() ||
      !ValidateId(field, parts[3], 2, 63).ok()) {
    return Malformed(field, "tenants/{tenant}/identityProviders/{provider}");
  }
  return ChildName{std::string(parts[1]), std::string(parts[3])};
}

absl::StatusOr<ChildName> ParseServiceAccountName(absl::string_view field,
                                                  absl::string_view name) {
  const std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  const auto malformed = [&] {
    return Malformed(field,
                     "tenants/{tenant}/serviceAccounts/{account} or "
                     "serviceAccounts/{account}");
  };
  if (parts.size() == 2 && parts[0] == "serviceAccounts" &&
      ValidateId(field, parts[1], 2, 63).ok()) {
    return ChildName{"", std::string(parts[1])};
  }
  if (parts.size() == 4 && parts[0] == "tenants" &&
      parts[2] == "serviceAccounts" && ValidateTenantId(field, parts[1]).ok() &&
      ValidateId(field, parts[3], 2, 63).ok()) {
    return ChildName{std::string(parts[1]), std::string(parts[3])};
  }
  return malformed();
}

absl::StatusOr<SecretName> ParseSecretName(absl::string_view field,
                                           absl::string_view name) {
  const size_t split = name.rfind("/secrets/");
  if (split == absl::string_view::npos) {
    return Malformed(field, "{service account}/secrets/{secret}");
  }
  absl::StatusOr<ChildName> account =
      ParseServiceAccountName(field, name.substr(0, split));
  if (!account.ok()) return account.status();
  const absl::string_view secret = name.substr(split + 9);
  if (!IsUuid(secret)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": the secret id must be a UUID"));
  }
  return SecretName{*std::move(account),
                    absl::AsciiStrToLower(std::string(secret))};
}

std::string TenantName(absl::string_view tenant) {
  return absl::StrCat("tenants/", tenant);
}

std::string MemberResourceName(absl::string_view tenant,
                               absl::string_view member) {
  return absl::StrCat("tenants/", tenant, "/members/", member);
}

std::string ProviderResourceName(absl::string_view tenant,
                                 absl::string_view provider) {
  return absl::StrCat("tenants/", tenant, "/identityProviders/", provider);
}

std::string ServiceAccountResourceName(absl::string_view tenant,
                                       absl::string_view account) {
  return tenant.empty()
             ? absl::StrCat("serviceAccounts/", account)
             : absl::StrCat("tenants/", tenant, "/serviceAccounts/", account);
}

}  // namespace agora::identity
