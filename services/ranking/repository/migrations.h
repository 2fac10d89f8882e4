// The ranking schema, compiled in from services/ranking/migrations/.
#ifndef AGORA_SERVICES_RANKING_REPOSITORY_MIGRATIONS_H_
#define AGORA_SERVICES_RANKING_REPOSITORY_MIGRATIONS_H_

#include "libs/pg/migrations.h"

namespace agora::ranking {

pg::MigrationSet RankingMigrations();

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_REPOSITORY_MIGRATIONS_H_
