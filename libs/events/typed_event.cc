#include "libs/events/typed_event.h"

#include <google/protobuf/util/time_util.h>

#include <string>

#include "absl/strings/str_cat.h"

namespace agora::events {

agora::events::v1::Event NewEvent(agora::events::v1::Producer producer,
                                  absl::string_view tenant_id,
                                  const agora::common::v1::Actor& actor,
                                  absl::string_view subject, absl::Time now) {
  agora::events::v1::Event event;
  event.set_id(NewEventId());
  event.set_tenant(absl::StrCat("tenants/", tenant_id));
  *event.mutable_occur_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(now));
  *event.mutable_actor() = actor;
  event.set_producer(producer);
  event.set_subject(std::string(subject));
  return event;
}
namespace {

// The name of the set payload field, "" when none is set.
std::string PayloadType(const agora::events::v1::Event& event) {
  const google::protobuf::OneofDescriptor* payload =
      event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* field =
      event.GetReflection()->GetOneofFieldDescriptor(event, payload);
  return field == nullptr ? "" : field->name();
}

}  // namespace

absl::StatusOr<EventRecord> ToRecord(const agora::events::v1::Event& event) {
  if (event.id().empty())
    return absl::InvalidArgumentError("event.id: required");
  if (event.tenant().empty())
    return absl::InvalidArgumentError("event.tenant: required");
  std::string type = PayloadType(event);
  if (type.empty())
    return absl::InvalidArgumentError("event.payload: required");
  EventRecord record{event.id(), event.tenant(), std::move(type), ""};
  if (!event.SerializeToString(&record.payload)) {
    return absl::InvalidArgumentError("event: cannot be serialized");
  }
  return record;
}

absl::StatusOr<agora::events::v1::Event> FromRecord(const EventRecord& record) {
  agora::events::v1::Event event;
  if (!event.ParseFromString(record.payload)) {
    return absl::InvalidArgumentError(
        absl::StrCat("event ", record.event_id, ": payload does not parse"));
  }
  if (event.id() != record.event_id || PayloadType(event) != record.type) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event ", record.event_id, ": payload does not match its record"));
  }
  return event;
}

}  // namespace agora::events
