#include "tests/harness/event_stream.h"

#include "absl/random/random.h"
#include "absl/strings/str_format.h"
#include "libs/redis/keys.h"

namespace agora::testing {

std::string NewEventUuid() {
  absl::BitGen random;
  const uint64_t high =
      (absl::Uniform<uint64_t>(random) & ~uint64_t{0xf000}) | 0x4000;
  const uint64_t low =
      (absl::Uniform<uint64_t>(random) >> 2) | (uint64_t{1} << 63);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", high >> 32,
                         (high >> 16) & 0xffff, high & 0xffff, low >> 48,
                         low & 0xffffffffffffULL);
}

absl::Status PublishOnStream(redis::RedisClient& redis,
                             const std::string& prefix,
                             const std::string& producer,
                             const agora::events::v1::Event& event) {
  const google::protobuf::OneofDescriptor* oneof =
      event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* field =
      event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  if (field == nullptr) return absl::InvalidArgumentError("no payload");
  std::string payload;
  if (!event.SerializeToString(&payload)) {
    return absl::InternalError("event does not serialize");
  }
  absl::StatusOr<redis::Reply> added = redis.Run(
      {"XADD", redis::KeyBuilder(prefix).SharedKey("events", {producer}),
       "MAXLEN", "~", "100000", "*", "event_id", event.id(), "tenant",
       event.tenant(), "type", field->name(), "payload", payload});
  if (!added.ok()) return added.status();
  if (added->is_error()) return absl::InternalError(added->text);
  return absl::OkStatus();
}

}  // namespace agora::testing
