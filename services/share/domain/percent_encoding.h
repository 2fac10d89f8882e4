// Percent-encoding (RFC 3986) of the values put into share URLs: titles in
// any language travel as UTF-8 bytes, each byte outside the unreserved set
// as %XX. The one encoder of the share service (identity has its own copy
// in services/identity/oidc/url_encoding.h; a shared one belongs in libs/).
#ifndef AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_
#define AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::share {

// Every byte but ALPHA DIGIT - . _ ~ as %XX (upper-case hex); a space is
// %20, never '+', which is right in query strings and in mailto: URLs
// (RFC 6068) alike.
std::string PercentEncode(absl::string_view text);

// Drops what follows the last complete UTF-8 character within `max_bytes`
// bytes (never cuts a character in two).
std::string TruncateUtf8(absl::string_view text, size_t max_bytes);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_PERCENT_ENCODING_H_
