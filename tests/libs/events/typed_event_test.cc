#include "libs/events/typed_event.h"

#include <gtest/gtest.h>

namespace agora::events {
namespace {

agora::events::v1::Event PostPublished() {
  agora::events::v1::Event event;
  event.set_id(NewEventId());
  event.set_tenant("tenants/fr");
  event.mutable_post_published()->set_space("tenants/fr/spaces/forum");
  return event;
}

TEST(TypedEventTest, RecordCarriesIdTenantAndOneofFieldName) {
  const agora::events::v1::Event event = PostPublished();
  absl::StatusOr<EventRecord> record = ToRecord(event);
  ASSERT_TRUE(record.ok()) << record.status();
  EXPECT_EQ(record->event_id, event.id());
  EXPECT_EQ(record->tenant, "tenants/fr");
  EXPECT_EQ(record->type, "post_published");
  absl::StatusOr<agora::events::v1::Event> back = FromRecord(*record);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->post_published().space(), "tenants/fr/spaces/forum");
}

TEST(TypedEventTest, IncompleteEventsAreRefusedNamingTheField) {
  agora::events::v1::Event event = PostPublished();
  event.clear_payload();
  EXPECT_EQ(ToRecord(event).status(),
            absl::InvalidArgumentError("event.payload: required"));
  event = PostPublished();
  event.clear_id();
  EXPECT_EQ(ToRecord(event).status(),
            absl::InvalidArgumentError("event.id: required"));
}

TEST(TypedEventTest, CorruptOrMismatchedRecordsAreRefused) {
  EventRecord record = *ToRecord(PostPublished());
  EventRecord wrong_type = record;
  wrong_type.type = "post_hidden";
  EXPECT_EQ(FromRecord(wrong_type).status().code(),
            absl::StatusCode::kInvalidArgument);
  EventRecord wrong_id = record;
  wrong_id.event_id = NewEventId();
  EXPECT_EQ(FromRecord(wrong_id).status().code(),
            absl::StatusCode::kInvalidArgument);
  EventRecord garbage = record;
  garbage.payload = "\xff\xff\xff";
  EXPECT_EQ(FromRecord(garbage).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agora::events
