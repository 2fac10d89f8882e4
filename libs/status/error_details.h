// Machine-readable error details on an absl::Status, after AIP-193: a
// google.rpc.ErrorInfo whose `reason` clients branch on (the
// agora.common.v1.ErrorReason value name without its prefix, e.g.
// "INVALID_CREDENTIALS") and, for throttling, a google.rpc.RetryInfo.
// They ride as status payloads inside a service and are packed into the
// gRPC status details (`grpc-status-details-bin`) by ToGrpcStatus, where
// the gateway and generated clients read them.
#ifndef AGORA_LIBS_STATUS_ERROR_DETAILS_H_
#define AGORA_LIBS_STATUS_ERROR_DETAILS_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace agora::status {

// The ErrorInfo domain of every Agora error.
inline constexpr char kErrorDomain[] = "agora.community";

// `status` with an ErrorInfo of `reason` ("ETAG_MISMATCH"). An OK status is
// returned unchanged.
absl::Status WithReason(absl::Status status, absl::string_view reason);

// `status` with a RetryInfo telling the client to wait `delay`.
absl::Status WithRetryDelay(absl::Status status, absl::Duration delay);

// The ErrorInfo reason of `status`, if any.
std::optional<std::string> ReasonOf(const absl::Status& status);

// The RetryInfo delay of `status`, if any.
std::optional<absl::Duration> RetryDelayOf(const absl::Status& status);

// The serialized google.rpc.Status of `status` (code, message and every
// detail above), for grpc-status-details-bin; empty when it has no details.
std::string SerializedDetails(const absl::Status& status);

// The details of a serialized google.rpc.Status put back on `status` (what
// a client of another Agora service does with grpc::Status::error_details).
absl::Status WithSerializedDetails(absl::Status status,
                                   absl::string_view serialized);

}  // namespace agora::status

#endif  // AGORA_LIBS_STATUS_ERROR_DETAILS_H_
