#include "libs/auth/jwt_format.h"

#include "absl/status/status.h"

namespace agora::auth {

absl::StatusOr<JwtSegments> SplitJwt(absl::string_view token) {
  if (token.size() > kMaxTokenBytes) {
    return absl::InvalidArgumentError("token too large");
  }
  const size_t first = token.find('.');
  if (first == absl::string_view::npos) {
    return absl::InvalidArgumentError("malformed token");
  }
  const size_t second = token.find('.', first + 1);
  if (second == absl::string_view::npos ||
      token.find('.', second + 1) != absl::string_view::npos) {
    return absl::InvalidArgumentError("malformed token");
  }
  JwtSegments segments;
  segments.header = token.substr(0, first);
  segments.payload = token.substr(first + 1, second - first - 1);
  segments.signature = token.substr(second + 1);
  segments.signing_input = token.substr(0, second);
  if (segments.header.empty() || segments.payload.empty()) {
    return absl::InvalidArgumentError("malformed token");
  }
  return segments;
}

}  // namespace agora::auth
