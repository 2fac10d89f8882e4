// page_size and page_token as identity's keyset-paged List methods read them
// (AIP-158): page_size 0 means 20, above 100 means 100, negative is an
// error. A page token is opaque to clients: base64url of the position of
// the last item returned (its id, or the columns the list is ordered by),
// from which the next page continues.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PAGE_TOKENS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PAGE_TOKENS_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

inline constexpr int kDefaultPageSize = 20;
inline constexpr int kMaxPageSize = 100;

// The page size to use; INVALID_ARGUMENT naming page_size when negative.
absl::StatusOr<int> PageSizeOf(int requested);

// The position a token carries ("" for an empty token, the first page);
// INVALID_ARGUMENT naming page_token when it is not one EncodePageToken made.
absl::StatusOr<std::string> DecodePageToken(absl::string_view token);
std::string EncodePageToken(absl::string_view position);

// INVALID_ARGUMENT naming page_token: for a position that decodes but does
// not have the list's shape.
absl::Status InvalidPageToken();

// The position of lists ordered newest first by (create_time, id): the
// last item's time in microseconds and its UUID; id "" on the first page.
struct TimeIdPosition {
  int64_t micros = 0;
  std::string id;
};
absl::StatusOr<TimeIdPosition> DecodeTimeIdPageToken(absl::string_view token);
std::string EncodeTimeIdPageToken(int64_t micros, absl::string_view id);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PAGE_TOKENS_H_
