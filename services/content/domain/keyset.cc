#include "services/content/domain/keyset.h"

#include <google/protobuf/util/time_util.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"

namespace agora::content {

std::string TimeIdToken(const google::protobuf::Timestamp& time,
                        const std::string& name) {
  return api::EncodePageToken(absl::StrCat(
      google::protobuf::util::TimeUtil::TimestampToMicroseconds(time), "/",
      name.substr(name.rfind('/') + 1)));
}

absl::StatusOr<std::optional<TimeIdPosition>> DecodeTimeIdToken(
    const std::string& token) {
  absl::StatusOr<std::string> position = api::DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (position->empty()) return std::nullopt;
  std::pair<std::string, std::string> parts =
      absl::StrSplit(*position, absl::MaxSplits('/', 1));
  int64_t micros = 0;
  if (!absl::SimpleAtoi(parts.first, &micros) ||
      !api::IsResourceId(parts.second)) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  return TimeIdPosition{micros, parts.second};
}

}  // namespace agora::content
