// What the moderation domain works with: its PostgreSQL pool, Redis, the
// outbox, the screening rules cache and the clock. Built once in main and
// shared by every handler thread.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_CONTEXT_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_CONTEXT_H_

#include <functional>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"

namespace agora::moderation {

class RulesCache;

struct ModerationContext {
  pg::ConnectionPool& pool;
  redis::RedisClient& redis;
  redis::KeyBuilder keys;
  events::Outbox outbox{"moderation"};
  RulesCache& rules;
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_MODERATION_CONTEXT_H_
