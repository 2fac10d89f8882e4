#include "services/moderation/domain/moderation_events.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/events/typed_event.h"

namespace agora::moderation {

agora::events::v1::Event NewEvent(const ModerationContext& context,
                                  const std::string& tenant,
                                  const agora::common::v1::Actor& actor,
                                  const std::string& subject) {
  agora::events::v1::Event event;
  event.set_id(events::NewEventId());
  event.set_tenant(absl::StrCat("tenants/", tenant));
  *event.mutable_occur_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(context.now()));
  *event.mutable_actor() = actor;
  event.set_producer(agora::events::v1::PRODUCER_MODERATION);
  event.set_subject(subject);
  return event;
}

absl::Status AppendEvent(const ModerationContext& context,
                         pqxx::transaction_base& tx,
                         const agora::events::v1::Event& event) {
  absl::StatusOr<events::EventRecord> record = events::ToRecord(event);
  if (!record.ok()) return record.status();
  return context.outbox.Append(tx, *record);
}

}  // namespace agora::moderation
