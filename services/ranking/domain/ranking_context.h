// What the ranking domain works with: PostgreSQL, Redis, the outbox, the
// settings cache, the board writer and the clock. Built once in main (or a
// test fixture) and shared by every handler thread.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_RANKING_CONTEXT_H_
#define AGORA_SERVICES_RANKING_DOMAIN_RANKING_CONTEXT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/domain/settings_store.h"

namespace agora::ranking {

struct RankingContext {
  pg::ConnectionPool& pool;
  redis::RedisClient& redis;
  redis::KeyBuilder keys;
  SettingsStore& settings;
  BoardWriter& boards;
  events::Outbox outbox{"ranking"};
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // Asks for a rebuild of the tenant's boards in the background (Redis lost
  // them); set by main to the rebuilder, a no-op by default.
  std::function<void(const std::string& tenant)> request_rebuild =
      [](const std::string&) {};
};

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_RANKING_CONTEXT_H_
