#include "services/ranking/domain/settings_store.h"

#include "libs/pg/transaction.h"
#include "services/ranking/domain/board_scores.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {

v1::VoteSettings DefaultVoteSettings() {
  v1::VoteSettings settings;
  settings.set_max_votes_per_minute(30);
  settings.set_max_votes_per_day(500);
  settings.mutable_min_account_age()->set_seconds(24 * 3600);
  settings.set_verified_customers_skip_age_hold(true);
  settings.set_serial_voting_threshold(10);
  settings.mutable_serial_voting_window()->set_seconds(3600);
  return settings;
}

SettingsStore::SettingsStore(pg::ConnectionPool& pool, absl::Duration ttl,
                             std::function<absl::Time()> now)
    : pool_(pool), ttl_(ttl), now_(std::move(now)) {}

absl::StatusOr<SettingsStore::Cached> SettingsStore::Load(
    const std::string& tenant) {
  {
    absl::MutexLock lock(&mu_);
    auto it = cache_.find(tenant);
    if (it != cache_.end() && now_() - it->second.load_time < ttl_) {
      return it->second;
    }
  }
  Cached loaded;
  loaded.vote_settings = DefaultVoteSettings();
  absl::Status status =
      pg::RunTransaction(pool_, [&](pqxx::transaction_base& tx) {
        const pqxx::result rows = tx.exec_params(
            "SELECT kind, body FROM settings WHERE tenant = $1", tenant);
        for (const pqxx::row& row : rows) {
          const std::string kind = row[0].as<std::string>();
          const pqxx::binarystring body(row[1]);
          if (kind == "vote_settings") {
            loaded.vote_settings.ParseFromString(body.str());
          } else if (kind == "ranking_parameters") {
            loaded.ranking_parameters.ParseFromString(body.str());
          }
        }
        loaded.time_zone = LoadTimeZone(tx, tenant);
        return absl::OkStatus();
      });
  absl::MutexLock lock(&mu_);
  if (!status.ok()) {
    auto it = cache_.find(tenant);
    if (it != cache_.end()) return it->second;  // stale beats nothing
    return status;
  }
  loaded.load_time = now_();
  cache_[tenant] = loaded;
  return loaded;
}

absl::StatusOr<v1::VoteSettings> SettingsStore::VoteSettings(
    const std::string& tenant) {
  absl::StatusOr<Cached> cached = Load(tenant);
  if (!cached.ok()) return cached.status();
  return cached->vote_settings;
}

absl::StatusOr<v1::RankingParameters> SettingsStore::RankingParameters(
    const std::string& tenant) {
  absl::StatusOr<Cached> cached = Load(tenant);
  if (!cached.ok()) return cached.status();
  return cached->ranking_parameters;
}

formulas::FormulaParameters SettingsStore::FormulaParameters(
    const std::string& tenant) {
  absl::StatusOr<Cached> cached = Load(tenant);
  return cached.ok() ? ToFormulaParameters(cached->ranking_parameters)
                     : formulas::FormulaParameters{};
}

absl::TimeZone SettingsStore::TimeZone(const std::string& tenant) {
  absl::StatusOr<Cached> cached = Load(tenant);
  absl::TimeZone zone = absl::UTCTimeZone();
  if (cached.ok()) absl::LoadTimeZone(cached->time_zone, &zone);
  return zone;
}

void SettingsStore::Invalidate(const std::string& tenant) {
  absl::MutexLock lock(&mu_);
  cache_.erase(tenant);
}

}  // namespace agora::ranking
