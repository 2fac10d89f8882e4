#include "gateway/error_response.h"

#include <google/protobuf/util/json_util.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "google/rpc/status.pb.h"
#include "libs/status/error_details.h"

namespace agora::gateway {

int HttpStatusFor(absl::StatusCode code,
                  const std::optional<std::string>& reason) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnknown:
      return 500;
    case absl::StatusCode::kInvalidArgument:
      return 400;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
      return 409;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kFailedPrecondition:
      return reason.has_value() && *reason == "ETAG_MISMATCH" ? 412 : 400;
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kInternal:
      return 500;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDataLoss:
      return 500;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    default:
      return 500;
  }
}

std::string CodeName(absl::StatusCode code) {
  std::string name = absl::StatusCodeToString(code);
  for (char& c : name) {
    c = c == ' ' ? '_' : static_cast<char>(std::toupper(c));
  }
  return name;
}

namespace {

// What callers may read of a status message.
std::string PublicMessage(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
      return "internal error";
    case absl::StatusCode::kUnavailable:
      return "service unavailable, retry later";
    case absl::StatusCode::kDeadlineExceeded:
      return "deadline exceeded";
    case absl::StatusCode::kCancelled:
      return "cancelled";
    case absl::StatusCode::kUnimplemented:
      return "not implemented";
    default:
      break;
  }
  std::string message(status.message().substr(0, 1000));
  return message;
}

}  // namespace

HttpResponse ErrorResponse(const absl::Status& status,
                           absl::string_view request_id) {
  const std::optional<std::string> reason = status::ReasonOf(status);
  HttpResponse response;
  response.status = HttpStatusFor(status.code(), reason);
  nlohmann::json details = nlohmann::json::array();
  const std::string serialized = status::SerializedDetails(status);
  google::rpc::Status rpc_status;
  if (!serialized.empty() && rpc_status.ParseFromString(serialized)) {
    for (const google::protobuf::Any& detail : rpc_status.details()) {
      std::string json;
      if (google::protobuf::util::MessageToJsonString(detail, &json).ok()) {
        nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
        if (!parsed.is_discarded()) {
          details.push_back(std::move(parsed));
          continue;
        }
      }
      details.push_back({{"@type", detail.type_url()}});
    }
  }
  nlohmann::json body = {{"code", CodeName(status.code())},
                         {"message", PublicMessage(status)},
                         {"details", std::move(details)},
                         {"request_id", std::string(request_id)}};
  response.body =
      body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.SetHeader("content-type", "application/json");
  std::optional<absl::Duration> retry = status::RetryDelayOf(status);
  if (retry.has_value() ||
      status.code() == absl::StatusCode::kResourceExhausted) {
    const double seconds =
        retry.has_value() ? absl::ToDoubleSeconds(*retry) : 1.0;
    response.SetHeader("retry-after",
                       absl::StrCat(std::max<int64_t>(
                           1, static_cast<int64_t>(std::ceil(seconds)))));
  }
  if (response.status == 401) {
    response.SetHeader("www-authenticate", "Bearer");
  }
  return response;
}

}  // namespace agora::gateway
