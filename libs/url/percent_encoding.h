// Percent-encoding (RFC 3986) of values put into URLs, query strings and
// form bodies: every byte outside the unreserved set as %XX, so text in any
// language travels as its UTF-8 bytes. Shared by identity's OpenID Connect
// client and share's links.
#ifndef AGORA_LIBS_URL_PERCENT_ENCODING_H_
#define AGORA_LIBS_URL_PERCENT_ENCODING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::url {

// Every byte but ALPHA DIGIT - . _ ~ as %XX (upper-case hex); a space is
// %20, never '+', which is right in query strings, x-www-form-urlencoded
// bodies and mailto: URLs (RFC 6068) alike.
std::string PercentEncode(absl::string_view text);

}  // namespace agora::url

#endif  // AGORA_LIBS_URL_PERCENT_ENCODING_H_
