// Keyset page positions of lists ordered by a time and an id: the page
// token carries the last item's (time in microseconds, id).
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_KEYSET_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_KEYSET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "google/protobuf/timestamp.pb.h"

namespace agora::content {

using TimeIdPosition = std::pair<int64_t, std::string>;

// The page token after an item with this time and resource name (its id is
// the last segment).
std::string TimeIdToken(const google::protobuf::Timestamp& time,
                        const std::string& name);

// nullopt for the first page; INVALID_ARGUMENT "page_token: invalid".
absl::StatusOr<std::optional<TimeIdPosition>> DecodeTimeIdToken(
    const std::string& token);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_KEYSET_H_
