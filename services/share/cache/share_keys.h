// Redis keys of the share service. Every key of a tenant carries the tenant
// as a hash tag (libs/redis KeyBuilder), so one Lua script may touch all of
// a click's keys on Redis Cluster.
//   <p>:{t}:share:post:<post>                 cached post (state, text)
//   <p>:{t}:share:rate:<visitor>:<minute>     resolutions this minute
//   <p>:{t}:share:pending                     bot counters since the last flush
//   <p>:{t}:share:clicks                      human clicks since the last flush
//   <p>:{t}:share:sealed:{pending,clicks,batch}   the batch a flush is
//                                             writing to PostgreSQL
//   <p>:{t}:share:hll:<scope>                 unique-visitor sketches
#ifndef AGORA_SERVICES_SHARE_CACHE_SHARE_KEYS_H_
#define AGORA_SERVICES_SHARE_CACHE_SHARE_KEYS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/redis/keys.h"

namespace agora::share {

struct TenantKeys {
  std::string pending;
  std::string clicks;
  std::string sealed_pending;
  std::string sealed_clicks;
  std::string sealed_batch;
  std::string base;  // "<p>:{t}:share:"

  std::string Post(absl::string_view post) const;
  std::string Rate(absl::string_view visitor, int64_t minute) const;
  // Sketch of a scope ("link:<code>", "post:<post>" ...).
  std::string Sketch(absl::string_view scope) const;
};

// INVALID_ARGUMENT for a tenant id that cannot be a hash tag.
absl::StatusOr<TenantKeys> KeysOf(const redis::KeyBuilder& keys,
                                  absl::string_view tenant);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_CACHE_SHARE_KEYS_H_
