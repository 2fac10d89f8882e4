// page_size and page_token as every moderation List method reads them
// (AIP-158): page_size 0 means 20, above 100 means 100, negative is an
// error; page tokens are opaque (web-safe base64 of the position).
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace agora::moderation {

absl::StatusOr<int> PageSize(int requested);

// The position inside a token ("" for the first page); INVALID_ARGUMENT
// "page_token: invalid" for anything not made by EncodePageToken.
absl::StatusOr<std::string> DecodePageToken(const std::string& token);
std::string EncodePageToken(const std::string& position);

// For lists paged by offset: the offset in a token (0 for the first page);
// INVALID_ARGUMENT "page_token: invalid" otherwise.
absl::StatusOr<int64_t> DecodeOffsetToken(const std::string& token);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_
