// Texts given in several of the tenant's languages (space and category
// names, product and contest descriptions).
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_LOCALIZED_TEXT_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_LOCALIZED_TEXT_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "agora/common/v1/common.pb.h"

namespace agora::content {

// At most 16 translations keyed by BCP-47 tags, each of min-max characters;
// when `min` > 0 at least one translation is required.
absl::Status ValidateLocalizedText(absl::string_view field,
                                   const common::v1::LocalizedText& text,
                                   int min, int max);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_LOCALIZED_TEXT_H_
