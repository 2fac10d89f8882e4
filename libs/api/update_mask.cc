#include "libs/api/update_mask.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/status/error_details.h"

namespace agora::api {

absl::StatusOr<std::set<std::string>> MaskPaths(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> mutable_fields,
    absl::string_view resource) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError(
        "update_mask: required (\"*\" for every mutable field)");
  }
  std::set<std::string> paths;
  for (const std::string& path : mask.paths()) {
    if (path == "*") {
      for (absl::string_view field : mutable_fields) {
        paths.emplace(field);
      }
      continue;
    }
    if (std::find(mutable_fields.begin(), mutable_fields.end(), path) ==
        mutable_fields.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: ", path.substr(0, 100),
                       " is not a mutable field of ", resource));
    }
    paths.insert(path);
  }
  return paths;
}

std::string EtagOf(int64_t version) {
  return absl::StrCat("\"", version, "\"");
}

absl::Status EtagMismatch(absl::string_view field, absl::string_view what) {
  return status::WithReason(
      absl::FailedPreconditionError(
          absl::StrCat(field, ": ", what, " changed since it was read")),
      "ETAG_MISMATCH");
}

}  // namespace agora::api
