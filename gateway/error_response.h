// gRPC status -> HTTP status, in one table, and the JSON error body every
// failed request gets:
//   {"code":"NOT_FOUND","message":"...","details":[{"@type":...}],
//    "request_id":"..."}
// Details are the google.rpc.Status details the service sent (ErrorInfo,
// RetryInfo ...), in their JSON mapping. Messages of internal failures are
// replaced by a fixed text: callers never see an internal message.
#ifndef AGORA_GATEWAY_ERROR_RESPONSE_H_
#define AGORA_GATEWAY_ERROR_RESPONSE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gateway/http_message.h"

namespace agora::gateway {

// The HTTP status for `code`; `reason` is the ErrorInfo reason, which turns
// FAILED_PRECONDITION ETAG_MISMATCH into 412.
int HttpStatusFor(absl::StatusCode code,
                  const std::optional<std::string>& reason = std::nullopt);

// "NOT_FOUND" for kNotFound ...
std::string CodeName(absl::StatusCode code);

// The response for a failed call (status not OK), with Retry-After when the
// status carries a RetryInfo (or for RESOURCE_EXHAUSTED, 1 second), and
// WWW-Authenticate for 401.
HttpResponse ErrorResponse(const absl::Status& status,
                           absl::string_view request_id);

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_ERROR_RESPONSE_H_
