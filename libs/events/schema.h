// The tables of the outbox and of consumers (outbox, processed_events,
// event_failures), compiled in from libs/events/migrations/. A service
// applies them into its own schema beside its own migrations:
//   pg::ApplyMigrations(url, "content",
//                       {ContentMigrations(), events::OutboxMigrations()});
#ifndef AGORA_LIBS_EVENTS_SCHEMA_H_
#define AGORA_LIBS_EVENTS_SCHEMA_H_

#include "libs/pg/migrations.h"

namespace agora::events {

pg::MigrationSet OutboxMigrations();

}  // namespace agora::events

#endif  // AGORA_LIBS_EVENTS_SCHEMA_H_
