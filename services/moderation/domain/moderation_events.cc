#include "services/moderation/domain/moderation_events.h"

#include "absl/strings/str_cat.h"
#include "libs/events/typed_event.h"

namespace agora::moderation {

agora::events::v1::Event NewEvent(const ModerationContext& context,
                                  const std::string& tenant,
                                  const agora::common::v1::Actor& actor,
                                  const std::string& subject) {
  return events::NewEvent(agora::events::v1::PRODUCER_MODERATION, tenant, actor,
                          subject, context.now());
}

absl::Status AppendEvent(const ModerationContext& context,
                         pqxx::transaction_base& tx,
                         const agora::events::v1::Event& event) {
  absl::StatusOr<events::EventRecord> record = events::ToRecord(event);
  if (!record.ok()) return record.status();
  return context.outbox.Append(tx, *record);
}

}  // namespace agora::moderation
