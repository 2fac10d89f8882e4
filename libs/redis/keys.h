// Redis key names. Every key of a tenant carries the tenant as a hash tag,
// "agora:{fr}:leaderboard:hot:day:20261122", so that all of one tenant's keys
// land in one Redis Cluster slot and multi-key commands (ZUNIONSTORE, Lua
// scripts, MULTI) never cross slots.
#ifndef AGORA_LIBS_REDIS_KEYS_H_
#define AGORA_LIBS_REDIS_KEYS_H_

#include <initializer_list>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::redis {

class KeyBuilder {
 public:
  // `prefix` namespaces a deployment (or a test) in a shared Redis: "agora".
  explicit KeyBuilder(std::string prefix) : prefix_(std::move(prefix)) {}

  // "<prefix>:{<tenant>}:<part>:<part>...". INVALID_ARGUMENT when the tenant
  // is empty or holds a brace or colon (it would break the hash tag).
  absl::StatusOr<std::string> TenantKey(
      absl::string_view tenant,
      std::initializer_list<absl::string_view> parts) const;

  // "<prefix>:{<tag>}:<part>..." for keys shared by all tenants, with an
  // explicit slot tag (e.g. the events streams, tag "events").
  std::string SharedKey(absl::string_view tag,
                        std::initializer_list<absl::string_view> parts) const;

  const std::string& prefix() const { return prefix_; }

 private:
  std::string prefix_;
};

}  // namespace agora::redis

#endif  // AGORA_LIBS_REDIS_KEYS_H_
