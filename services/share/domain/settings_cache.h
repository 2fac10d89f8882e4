// A tenant's share settings and time zone as every request needs them,
// cached per replica for a few seconds (an update is seen by the other
// replicas within `ttl`; the replica that made it invalidates at once).
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_CACHE_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_CACHE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agora/share/v1/share.pb.h"
#include "libs/pg/pool.h"

namespace agora::share {

struct TenantSettings {
  // Stored settings over the defaults, output fields (name, etag,
  // update_time) filled.
  v1::ShareSettings settings;
  absl::TimeZone time_zone;
  // False until a tenant admin has set the URLs share needs.
  bool configured = false;
};

class SettingsCache {
 public:
  SettingsCache(pg::ConnectionPool& pool, absl::Duration ttl,
                std::function<absl::Time()> now);

  // NOT_FOUND for a tenant share has never heard of.
  absl::StatusOr<std::shared_ptr<const TenantSettings>> Get(
      const std::string& tenant);
  void Invalidate(const std::string& tenant);

 private:
  struct Entry {
    std::shared_ptr<const TenantSettings> value;
    absl::Time loaded;
  };
  pg::ConnectionPool& pool_;
  const absl::Duration ttl_;
  std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SETTINGS_CACHE_H_
