#include "services/share/domain/link_cache.h"

#include "absl/strings/str_cat.h"

namespace agora::share {

std::shared_ptr<const CachedLink> LinkCache::Find(const std::string& tenant,
                                                  const std::string& code) {
  const std::string key = absl::StrCat(tenant, "/", code);
  absl::MutexLock lock(&mu_);
  if (auto it = young_.find(key); it != young_.end()) return it->second;
  auto it = old_.find(key);
  if (it == old_.end()) return nullptr;
  std::shared_ptr<const CachedLink> link = it->second;
  if (young_.size() >= max_entries_ / 2) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_.emplace(key, link);
  return link;
}

void LinkCache::Put(const std::string& tenant, const std::string& code,
                    CachedLink link) {
  const std::string key = absl::StrCat(tenant, "/", code);
  auto value = std::make_shared<const CachedLink>(std::move(link));
  absl::MutexLock lock(&mu_);
  if (young_.size() >= max_entries_ / 2) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_[key] = std::move(value);
}

}  // namespace agora::share
