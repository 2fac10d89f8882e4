#include "libs/redis/keys.h"

#include "absl/strings/str_cat.h"

namespace agora::redis {
namespace {

std::string Join(absl::string_view prefix, absl::string_view tag,
                 std::initializer_list<absl::string_view> parts) {
  std::string key = absl::StrCat(prefix, ":{", tag, "}");
  for (absl::string_view part : parts) absl::StrAppend(&key, ":", part);
  return key;
}

}  // namespace

absl::StatusOr<std::string> KeyBuilder::TenantKey(
    absl::string_view tenant,
    std::initializer_list<absl::string_view> parts) const {
  if (tenant.empty() ||
      tenant.find_first_of("{}:") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        "tenant: must be non-empty and hold no '{', '}' or ':'");
  }
  return Join(prefix_, tenant, parts);
}

std::string KeyBuilder::SharedKey(
    absl::string_view tag,
    std::initializer_list<absl::string_view> parts) const {
  return Join(prefix_, tag, parts);
}

}  // namespace agora::redis
