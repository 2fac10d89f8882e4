#include "services/identity/domain/page_tokens.h"

#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/base64url.h"
#include "services/identity/domain/resource_names.h"

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

absl::StatusOr<TimeIdPosition> DecodeTimeIdPageToken(absl::string_view token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  TimeIdPosition decoded;
  if (position->empty()) return decoded;
  const std::pair<std::string, std::string> parts =
      absl::StrSplit(*position, absl::MaxSplits('/', 1));
  if (!absl::SimpleAtoi(parts.first, &decoded.micros) ||
      !IsUuid(parts.second)) {
    return InvalidPageToken();
  }
  decoded.id = parts.second;
  return decoded;
}

std::string EncodeTimeIdPageToken(int64_t micros, absl::string_view id) {
  return EncodePageToken(absl::StrCat(micros, "/", id));
}

}  // namespace agora::identity
