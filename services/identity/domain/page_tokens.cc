#include "services/identity/domain/page_tokens.h"

#include "libs/auth/base64url.h"

namespace agora::identity {

absl::StatusOr<int> PageSizeOf(int requested) {
  if (requested < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (requested == 0) return kDefaultPageSize;
  return requested > kMaxPageSize ? kMaxPageSize : requested;
}

absl::Status InvalidPageToken() {
  return absl::InvalidArgumentError(
      "page_token: invalid (use a next_page_token from the same list)");
}

absl::StatusOr<std::string> DecodePageToken(absl::string_view token) {
  if (token.empty()) return std::string();
  if (token.size() > 512) return InvalidPageToken();
  absl::StatusOr<std::string> position = auth::Base64UrlDecode(token);
  if (!position.ok() || position->empty()) return InvalidPageToken();
  return position;
}

std::string EncodePageToken(absl::string_view position) {
  return auth::Base64UrlEncode(position);
}

}  // namespace agora::identity
