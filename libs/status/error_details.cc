#include "libs/status/error_details.h"

#include <google/protobuf/any.pb.h>

#include <utility>

#include "absl/strings/cord.h"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"

namespace agora::status {
namespace {

// Payload type URLs: the Any type URLs of the detail messages, so packing
// them into google.rpc.Status needs no translation.
constexpr char kErrorInfoUrl[] = "type.googleapis.com/google.rpc.ErrorInfo";
constexpr char kRetryInfoUrl[] = "type.googleapis.com/google.rpc.RetryInfo";

template <typename Message>
std::optional<Message> PayloadOf(const absl::Status& status,
                                 absl::string_view url) {
  absl::optional<absl::Cord> payload = status.GetPayload(url);
  if (!payload.has_value()) return std::nullopt;
  Message message;
  if (!message.ParseFromString(std::string(*payload))) return std::nullopt;
  return message;
}

}  // namespace

absl::Status WithReason(absl::Status status, absl::string_view reason) {
  if (status.ok()) return status;
  google::rpc::ErrorInfo info;
  info.set_reason(std::string(reason));
  info.set_domain(kErrorDomain);
  status.SetPayload(kErrorInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

absl::Status WithRetryDelay(absl::Status status, absl::Duration delay) {
  if (status.ok()) return status;
  google::rpc::RetryInfo info;
  const int64_t millis = absl::ToInt64Milliseconds(delay);
  info.mutable_retry_delay()->set_seconds(millis / 1000);
  info.mutable_retry_delay()->set_nanos(static_cast<int32_t>(millis % 1000) *
                                        1000000);
  status.SetPayload(kRetryInfoUrl, absl::Cord(info.SerializeAsString()));
  return status;
}

std::optional<std::string> ReasonOf(const absl::Status& status) {
  std::optional<google::rpc::ErrorInfo> info =
      PayloadOf<google::rpc::ErrorInfo>(status, kErrorInfoUrl);
  if (!info.has_value()) return std::nullopt;
  return info->reason();
}

std::optional<absl::Duration> RetryDelayOf(const absl::Status& status) {
  std::optional<google::rpc::RetryInfo> info =
      PayloadOf<google::rpc::RetryInfo>(status, kRetryInfoUrl);
  if (!info.has_value()) return std::nullopt;
  return absl::Seconds(info->retry_delay().seconds()) +
         absl::Nanoseconds(info->retry_delay().nanos());
}

std::string SerializedDetails(const absl::Status& status) {
  google::rpc::Status packed;
  status.ForEachPayload(
      [&packed](absl::string_view url, const absl::Cord& payload) {
        if (url != kErrorInfoUrl && url != kRetryInfoUrl) return;
        google::protobuf::Any* any = packed.add_details();
        any->set_type_url(std::string(url));
        any->set_value(std::string(payload));
      });
  if (packed.details_size() == 0) return "";
  packed.set_code(static_cast<int>(status.code()));
  packed.set_message(std::string(status.message()));
  return packed.SerializeAsString();
}

absl::Status WithSerializedDetails(absl::Status status,
                                   absl::string_view serialized) {
  google::rpc::Status packed;
  if (status.ok() || serialized.empty() ||
      !packed.ParseFromArray(serialized.data(),
                             static_cast<int>(serialized.size()))) {
    return status;
  }
  for (const google::protobuf::Any& any : packed.details()) {
    if (any.type_url() == kErrorInfoUrl || any.type_url() == kRetryInfoUrl) {
      status.SetPayload(any.type_url(), absl::Cord(any.value()));
    }
  }
  return status;
}

}  // namespace agora::status
