#include "libs/api/paging.h"

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"

namespace agora::api {
namespace {
constexpr char kTokenPrefix[] = "agora.v1:";
}  // namespace

absl::StatusOr<int> PageSize(int requested, int default_size, int max_size) {
  if (requested < 0)
    return absl::InvalidArgumentError("page_size: must not be negative");
  if (requested == 0) return default_size;
  return requested > max_size ? max_size : requested;
}

absl::StatusOr<std::string> DecodePageToken(const std::string& token) {
  if (token.empty()) return std::string();
  std::string decoded;
  absl::string_view position;
  if (token.size() > 512 || !absl::WebSafeBase64Unescape(token, &decoded) ||
      !absl::StartsWith(decoded, kTokenPrefix)) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  position = absl::StripPrefix(decoded, kTokenPrefix);
  return std::string(position);
}

absl::StatusOr<int64_t> DecodeOffsetToken(const std::string& token) {
  absl::StatusOr<std::string> position = DecodePageToken(token);
  if (!position.ok()) return position.status();
  int64_t offset = 0;
  if (!position->empty() &&
      (!absl::SimpleAtoi(*position, &offset) || offset < 0)) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  return offset;
}

std::string EncodePageToken(const std::string& position) {
  if (position.empty()) return "";
  return absl::WebSafeBase64Escape(std::string(kTokenPrefix) + position);
}

}  // namespace agora::api
