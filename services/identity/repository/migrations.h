// The identity schema, compiled in from services/identity/migrations/.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_MIGRATIONS_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_MIGRATIONS_H_

#include "libs/pg/migrations.h"

namespace agora::identity {

pg::MigrationSet IdentityMigrations();

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_MIGRATIONS_H_
