// Percent-encoding for the query strings and form bodies we send providers.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_
#define AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::identity::oidc {

// Every byte but RFC 3986's unreserved characters (ALPHA DIGIT - . _ ~) as
// %XX with upper-case hex; a space becomes %20, never '+', so the result is
// right both in a query string and in an x-www-form-urlencoded body.
std::string PercentEncode(absl::string_view text);

// name=value pairs joined with '&', both sides percent-encoded.
std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_
