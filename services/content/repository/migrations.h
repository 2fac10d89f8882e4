// The content schema, compiled in from services/content/migrations/.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_MIGRATIONS_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_MIGRATIONS_H_

#include "libs/pg/migrations.h"

namespace agora::content {

pg::MigrationSet ContentMigrations();

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_MIGRATIONS_H_
