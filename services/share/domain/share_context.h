// What the share domain works with: PostgreSQL, Redis, the outbox, the
// settings and link caches, the visitor-hash secret and the clock. Built
// once in main (or a test fixture) and shared by every handler thread.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SHARE_CONTEXT_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SHARE_CONTEXT_H_

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "services/share/domain/link_cache.h"
#include "services/share/domain/settings_cache.h"

namespace agora::share {

struct ShareContext {
  pg::ConnectionPool& pool;
  redis::RedisClient& redis;
  redis::KeyBuilder keys;
  SettingsCache& settings;
  LinkCache& links;
  // Key of the HMAC that turns a visitor key into what Redis counts; never
  // logged. The gateway's visitor key is already a keyed hash: this second
  // hash keeps Redis free of anything the gateway could map back.
  std::string visitor_secret;
  events::Outbox outbox{"share"};
  std::function<absl::Time()> now = [] { return absl::Now(); };
  // How long Redis keeps a cached post (a write lost while Redis was
  // unreachable heals within this).
  absl::Duration post_cache_ttl = absl::Minutes(10);
};

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SHARE_CONTEXT_H_
