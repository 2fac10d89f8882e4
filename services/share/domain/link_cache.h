// What resolving a short code needs of its link — post, network, target
// URL — cached per replica: those never change once a link exists, so the
// cache needs no invalidation, only a bound (least recently loaded entries
// are dropped first, by halves). Unknown codes are not cached.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_LINK_CACHE_H_
#define AGORA_SERVICES_SHARE_DOMAIN_LINK_CACHE_H_

#include <memory>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace agora::share {

struct CachedLink {
  std::string post;
  int post_kind = 0;
  int network = 0;
  std::string target_url;
};

class LinkCache {
 public:
  explicit LinkCache(size_t max_entries = 200'000)
      : max_entries_(max_entries) {}

  std::shared_ptr<const CachedLink> Find(const std::string& tenant,
                                         const std::string& code);
  void Put(const std::string& tenant, const std::string& code, CachedLink link);

 private:
  const size_t max_entries_;
  absl::Mutex mu_;
  // Two generations: lookups promote from `old_`; when `young_` is full it
  // becomes `old_` and the previous `old_` is dropped.
  absl::flat_hash_map<std::string, std::shared_ptr<const CachedLink>> young_
      ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, std::shared_ptr<const CachedLink>> old_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_LINK_CACHE_H_
