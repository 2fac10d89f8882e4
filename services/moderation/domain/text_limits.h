// Length checks in Unicode code points, with the INVALID_ARGUMENT messages
// every moderation RPC uses ("body: at most 40000 characters").
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_TEXT_LIMITS_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_TEXT_LIMITS_H_

#include <cstddef>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace agora::moderation {

// Code points of UTF-8 text; INVALID_ARGUMENT naming `field` when the text
// is not valid UTF-8.
absl::Status CheckLength(absl::string_view field, absl::string_view text,
                         size_t min, size_t max);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_TEXT_LIMITS_H_
