// Display names: 3-40 characters of letters, digits, spaces, ".", "_" and
// "-". Two names are the same name when their keys are equal: the key is
// the Unicode confusable skeleton (UTS #39, ICU's uspoof) of the NFKC
// case-folded name without separators, so "Suppоrt" (Cyrillic о),
// "S U P P O R T" and "support" collide. A name is a look-alike of a
// reserved name ("Support", "Conseiller", the bank's name) when its key
// contains the reserved name's key: "Support_Officiel" is refused too.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_DISPLAY_NAME_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_DISPLAY_NAME_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

// INVALID_ARGUMENT naming `field` when `name` breaks the format rules.
absl::Status ValidateDisplayNameFormat(absl::string_view field,
                                       absl::string_view name);

// The comparison key of a valid name. INTERNAL if ICU fails.
absl::StatusOr<std::string> DisplayNameKey(absl::string_view name);

// True when `key` contains the key of one of `reserved` (names as an admin
// typed them).
bool IsLookalikeOfReserved(absl::string_view key,
                           const std::vector<std::string>& reserved);

// The INVALID_ARGUMENT every refusal of a taken or reserved name gives,
// with reason DISPLAY_NAME_UNAVAILABLE.
absl::Status DisplayNameUnavailable(absl::string_view field);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_DISPLAY_NAME_H_
