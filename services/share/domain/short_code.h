// Short codes: 10 characters of [0-9A-Za-z], drawn from OpenSSL's CSPRNG
// (about 59.5 bits), so that codes are neither sequential nor guessable by
// walking. The format is checked before any lookup.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SHORT_CODE_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SHORT_CODE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::share {

inline constexpr int kShortCodeLength = 10;

// A fresh random code; INTERNAL when the CSPRNG fails.
absl::StatusOr<std::string> NewShortCode();

// True for exactly kShortCodeLength characters of [0-9A-Za-z].
bool IsShortCode(absl::string_view code);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SHORT_CODE_H_
