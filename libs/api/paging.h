// page_size and page_token as every List method reads them (AIP-158):
// page_size 0 means the method's default, above its maximum means the
// maximum, negative is an error; page tokens are opaque (web-safe base64 of the
// position).
#ifndef AGORA_LIBS_API_PAGING_H_
#define AGORA_LIBS_API_PAGING_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"

namespace agora::api {

// Default 20, at most 100 unless the method says otherwise.
absl::StatusOr<int> PageSize(int requested, int default_size = 20,
                             int max_size = 100);

// The position inside a token ("" for the first page); INVALID_ARGUMENT
// "page_token: invalid" for anything not made by EncodePageToken.
absl::StatusOr<std::string> DecodePageToken(const std::string& token);
std::string EncodePageToken(const std::string& position);

// For lists paged by offset: the offset in a token (0 for the first page);
// INVALID_ARGUMENT "page_token: invalid" otherwise.
absl::StatusOr<int64_t> DecodeOffsetToken(const std::string& token);

}  // namespace agora::api

#endif  // AGORA_LIBS_API_PAGING_H_
