#include "services/share/domain/settings_cache.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/share/domain/settings.h"
#include "services/share/repository/tenant_store.h"

namespace agora::share {

SettingsCache::SettingsCache(pg::ConnectionPool& pool, absl::Duration ttl,
                             std::function<absl::Time()> now)
    : pool_(pool), ttl_(ttl), now_(std::move(now)) {}

absl::StatusOr<std::shared_ptr<const TenantSettings>> SettingsCache::Get(
    const std::string& tenant) {
  const absl::Time now = now_();
  {
    absl::MutexLock lock(&mu_);
    auto it = entries_.find(tenant);
    if (it != entries_.end() && now - it->second.loaded < ttl_) {
      return it->second.value;
    }
  }
  std::optional<TenantRow> row;
  absl::Status read =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
        row = LoadTenant(tx, tenant);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat("tenants/", tenant, ": unknown"));
  }
  auto value = std::make_shared<TenantSettings>();
  v1::ShareSettings stored;
  if (row->settings.has_value()) stored.ParseFromString(*row->settings);
  value->settings = WithDefaults(stored);
  value->settings.set_name(absl::StrCat("tenants/", tenant, "/shareSettings"));
  value->settings.set_etag(absl::StrCat("\"", row->version, "\""));
  if (row->settings_update_time.has_value()) {
    *value->settings.mutable_update_time() =
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            absl::ToUnixMicros(*row->settings_update_time));
  }
  value->configured = IsConfigured(value->settings);
  if (!absl::LoadTimeZone(row->time_zone, &value->time_zone)) {
    value->time_zone = absl::UTCTimeZone();
  }
  std::shared_ptr<const TenantSettings> shared = std::move(value);
  absl::MutexLock lock(&mu_);
  entries_[tenant] = Entry{shared, now};
  return shared;
}

void SettingsCache::Invalidate(const std::string& tenant) {
  absl::MutexLock lock(&mu_);
  entries_.erase(tenant);
}

}  // namespace agora::share
