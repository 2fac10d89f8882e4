#include "services/share/domain/names.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "libs/api/resource_names.h"
#include "services/share/domain/short_code.h"

namespace agora::share {

absl::StatusOr<ShortLinkName> ParseShortLinkName(absl::string_view field,
                                                 absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "shortLinks"});
  if (!parts.ok()) return parts.status();
  if (!IsShortCode((*parts)[1])) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": a short code is ", kShortCodeLength,
                     " characters of [0-9A-Za-z]"));
  }
  return ShortLinkName{(*parts)[0], (*parts)[1]};
}

std::string ShortLinkResourceName(absl::string_view tenant,
                                  absl::string_view code) {
  return absl::StrCat("tenants/", tenant, "/shortLinks/", code);
}

}  // namespace agora::share
