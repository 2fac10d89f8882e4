// The Redis side of counting: one script per resolution (cached post, rate
// limit, counters, sketches, click record, all in one round trip), the
// version-checked post cache, and the three steps of a flush — seal the
// counters into a batch, merge sketches with PostgreSQL's copy, release the
// batch once PostgreSQL has it.
#ifndef AGORA_SERVICES_SHARE_CACHE_CLICK_STORE_H_
#define AGORA_SERVICES_SHARE_CACHE_CLICK_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "libs/redis/client.h"
#include "services/share/cache/share_keys.h"

namespace agora::share {

struct ClickInput {
  std::string post_key;
  std::string rate_key;
  int rate_limit = 30;  // resolutions per visitor and minute
  bool bot = false;
  std::string visitor;  // keyed hash of the visitor key
  std::string code;
  std::string day;     // YYYY-MM-DD in the tenant's time zone
  int64_t micros = 0;  // click time
  std::string post;    // post id
  int network = 0;
};

struct ClickOutcome {
  enum class Kind { kPostNotCached, kRateLimited, kCounted };
  Kind kind = Kind::kPostNotCached;
  std::string post_value;  // the cached post (kRateLimited, kCounted)
  bool new_visitor = false;
  int64_t unique_visitors = 0;  // the link's, after this click
};

// Checks the rate limit and counts one resolution (a human's also adds
// the visitor to the link's, post's, post-network's and post-day's
// sketches); kPostNotCached (nothing
// counted) when the post is not cached: load it, PutPost, call again.
absl::StatusOr<ClickOutcome> CountClick(redis::RedisClient& redis,
                                        const TenantKeys& keys,
                                        const ClickInput& input);

// Caches a post's value unless a newer version is cached already.
absl::Status PutPost(redis::RedisClient& redis, const std::string& post_key,
                     int64_t version, const std::string& value,
                     absl::Duration ttl);

// Sketch scopes.
std::string LinkScope(absl::string_view code);
std::string PostScope(absl::string_view post);
std::string PostNetworkScope(absl::string_view post, int network);
std::string PostDayScope(absl::string_view post, absl::string_view day);

// What a flush reads from Redis.
struct SealedBatch {
  std::string batch;
  // pending hash: "b|<code>|<day>" bot clicks, "l|<code>" last bot click
  // (micros).
  std::vector<std::pair<std::string, std::string>> counters;
  // "<code>|<micros>|<new 0/1>|<unique visitors or -1>|<day>" per human
  // click, in order (-1: not a new visitor, the count did not change).
  std::vector<std::string> clicks;
};

// Moves the counters into the sealed batch `new_batch`, or returns the
// batch sealed earlier and not yet released (a flush that failed halfway);
// nullopt when there is nothing to flush.
absl::StatusOr<std::optional<SealedBatch>> SealBatch(
    redis::RedisClient& redis, const TenantKeys& keys,
    const std::string& new_batch);

// Merges each stored sketch (scope -> registers, "" when none) into Redis'
// live one, which then lives `ttl` longer, and returns the union's
// registers and estimate per scope, in order (registers "" when the scope
// has no sketch anywhere).
struct MergedSketch {
  std::string registers;
  int64_t estimate = 0;
};
absl::StatusOr<std::vector<MergedSketch>> MergeSketches(
    redis::RedisClient& redis, const TenantKeys& keys,
    const std::vector<std::pair<std::string, std::string>>& stored,
    absl::Duration ttl);

// Deletes the sealed batch if it still is `batch`.
absl::Status ReleaseBatch(redis::RedisClient& redis, const TenantKeys& keys,
                          const std::string& batch);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_CACHE_CLICK_STORE_H_
