// Text put into share URLs: percent-encoded by the shared encoder
// (libs/url: titles in any language travel as UTF-8 bytes, each byte
// outside the unreserved set as %XX), cut to a byte budget without
// splitting a character.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_
#define AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_

#include <string>

#include "absl/strings/string_view.h"
#include "libs/url/percent_encoding.h"

namespace agora::share {

using url::PercentEncode;

// Drops what follows the last complete UTF-8 character within `max_bytes`
// bytes (never cuts a character in two).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_
