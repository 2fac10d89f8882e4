// The idempotent_responses table, compiled in from
// libs/idempotency/migrations/. A service applies it into its own schema
// beside its own migrations.
#ifndef AGORA_LIBS_IDEMPOTENCY_SCHEMA_H_
#define AGORA_LIBS_IDEMPOTENCY_SCHEMA_H_

#include "libs/pg/migrations.h"

namespace agora::idempotency {

pg::MigrationSet IdempotencyMigrations();

}  // namespace agora::idempotency

#endif  // AGORA_LIBS_IDEMPOTENCY_SCHEMA_H_
