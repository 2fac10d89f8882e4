// The share schema, compiled in from services/share/migrations/.
#ifndef AGORA_SERVICES_SHARE_REPOSITORY_MIGRATIONS_H_
#define AGORA_SERVICES_SHARE_REPOSITORY_MIGRATIONS_H_

#include "libs/pg/migrations.h"

namespace agora::share {

pg::MigrationSet ShareMigrations();

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_REPOSITORY_MIGRATIONS_H_
