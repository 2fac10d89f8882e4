// The moderation schema, compiled in from services/moderation/migrations/.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_MIGRATIONS_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_MIGRATIONS_H_

#include "libs/pg/migrations.h"

namespace agora::moderation {

pg::MigrationSet ModerationMigrations();

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_MIGRATIONS_H_
