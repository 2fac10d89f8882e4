// The update_mask of Update methods (AIP-134): required, "*" for
// every mutable field, otherwise a list of the resource's mutable fields;
// and the error of a stale etag (AIP-154).
#ifndef AGORA_LIBS_API_UPDATE_MASK_H_
#define AGORA_LIBS_API_UPDATE_MASK_H_

#include <google/protobuf/field_mask.pb.h>

#include <cstdint>
#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace agora::api {

// The mask's paths with "*" expanded to `mutable_fields`. INVALID_ARGUMENT
// naming update_mask when it is empty or names a field not in
// `mutable_fields` (`resource` names the message in the message).
absl::StatusOr<std::set<std::string>> MaskPaths(
    const google::protobuf::FieldMask& mask,
    absl::Span<const absl::string_view> mutable_fields,
    absl::string_view resource);

// The etag of a resource stored with row version `version`: "\"<n>\"".
std::string EtagOf(int64_t version);

// FAILED_PRECONDITION with reason ETAG_MISMATCH: the `field` etag a client
// sent is stale (`what` changed since it was read).
absl::Status EtagMismatch(absl::string_view field, absl::string_view what);

}  // namespace agora::api

#endif  // AGORA_LIBS_API_UPDATE_MASK_H_
