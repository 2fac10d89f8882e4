// Resource names the share service reads, with errors naming the field.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_NAMES_H_
#define AGORA_SERVICES_SHARE_DOMAIN_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::share {

struct ShortLinkName {
  std::string tenant;
  std::string code;
};

// `tenants/{tenant}/shortLinks/{code}`, the code's format checked (10 of
// [0-9A-Za-z]) before anything is looked up.
absl::StatusOr<ShortLinkName> ParseShortLinkName(absl::string_view field,
                                                 absl::string_view name);

std::string ShortLinkResourceName(absl::string_view tenant,
                                  absl::string_view code);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_NAMES_H_
