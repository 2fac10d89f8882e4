// Percent-encoding for the query strings and form bodies we send providers.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_
#define AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "libs/url/percent_encoding.h"

namespace agora::identity::oidc {

// RFC 3986 percent-encoding (libs/url): right in a query string and in an
// x-www-form-urlencoded body.
using url::PercentEncode;

// name=value pairs joined with '&', both sides percent-encoded.
std::string FormEncode(
    const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_URL_ENCODING_H_
