#include "services/ranking/domain/names.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace agora::ranking {
namespace {

absl::StatusOr<std::string> ScopeOf(
    absl::string_view field, absl::string_view tenant, absl::string_view name,
    std::initializer_list<absl::string_view> collections) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName(field, name, collections);
  if (!parts.ok()) return parts.status();
  if ((*parts)[0] != tenant) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must belong to tenants/", tenant));
  }
  parts->erase(parts->begin());
  return absl::StrJoin(*parts, "/");
}

}  // namespace

absl::StatusOr<std::string> ParseSpaceScope(absl::string_view tenant,
                                            absl::string_view name) {
  return ScopeOf("space", tenant, name, {"tenants", "spaces"});
}

absl::StatusOr<std::string> ParseCategoryScope(absl::string_view tenant,
                                               absl::string_view name) {
  return ScopeOf("category", tenant, name, {"tenants", "spaces", "categories"});
}

absl::StatusOr<std::string> ParseRoundScope(absl::string_view tenant,
                                            absl::string_view name) {
  return ScopeOf("round", tenant, name, {"tenants", "contests", "rounds"});
}

}  // namespace agora::ranking
