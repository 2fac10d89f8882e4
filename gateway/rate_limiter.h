// Request rate limits kept in Redis, shared by every gateway replica: one
// GCRA bucket (the generic cell rate algorithm, a token bucket kept as one
// timestamp) per tenant, route class and caller, updated by one Lua script
// in one round trip. The caller is the member when the request carries a
// valid token, the client address otherwise.
#ifndef AGORA_GATEWAY_RATE_LIMITER_H_
#define AGORA_GATEWAY_RATE_LIMITER_H_

#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "libs/redis/lua_script.h"

namespace agora::gateway {

// `count` requests per `period`, `count` of them at once after a quiet
// period (the burst).
struct RateLimit {
  int64_t count = 0;
  absl::Duration period;
};

// "read=1200/1m,write=300/1m,vote=600/1m,post=30/1m,login=10/1m".
// INVALID_ARGUMENT naming the bad entry.
absl::StatusOr<absl::flat_hash_map<std::string, RateLimit>> ParseRateLimits(
    absl::string_view spec);

// "agora.ranking.v1.RankingService.CastVote=vote,..." -> method -> class.
absl::StatusOr<absl::flat_hash_map<std::string, std::string>> ParseRouteClasses(
    absl::string_view spec);

class RateLimiter {
 public:
  struct Decision {
    bool allowed = true;
    absl::Duration retry_after;  // when refused
  };

  RateLimiter(redis::RedisClient& redis, std::string key_prefix,
              absl::flat_hash_map<std::string, RateLimit> limits);

  // Takes one request from the bucket of (tenant, route class, caller). A
  // class without a limit is always allowed. UNAVAILABLE when Redis cannot
  // answer: the caller decides (the gateway lets the request through).
  absl::StatusOr<Decision> Take(absl::string_view tenant,
                                absl::string_view route_class,
                                absl::string_view caller);

 private:
  redis::RedisClient& redis_;
  redis::KeyBuilder keys_;
  absl::flat_hash_map<std::string, RateLimit> limits_;
  redis::LuaScript script_;
};

}  // namespace agora::gateway

#endif  // AGORA_GATEWAY_RATE_LIMITER_H_
