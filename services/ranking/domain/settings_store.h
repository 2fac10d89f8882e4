// A tenant's settings documents (vote settings, formula parameters,
// reputation policy), read through a short in-process cache: a replica
// sees another replica's update within `ttl`, and the vote path reads no
// settings row per vote. Unset documents are the published defaults.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_STORE_H_
#define AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_STORE_H_

#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/pg/pool.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking {

class SettingsStore {
 public:
  SettingsStore(pg::ConnectionPool& pool, absl::Duration ttl,
                std::function<absl::Time()> now);

  // UNAVAILABLE when PostgreSQL cannot be read and nothing is cached.
  absl::StatusOr<v1::VoteSettings> VoteSettings(const std::string& tenant);
  absl::StatusOr<v1::RankingParameters> RankingParameters(
      const std::string& tenant);
  // The formula parameters of a tenant; the defaults when unreadable.
  formulas::FormulaParameters FormulaParameters(const std::string& tenant);
  // The tenant's time zone (identity's announcement; UTC until then).
  absl::TimeZone TimeZone(const std::string& tenant);

  // Drops the cached copies of a tenant (after an update on this replica).
  void Invalidate(const std::string& tenant);

 private:
  struct Cached {
    v1::VoteSettings vote_settings;
    v1::RankingParameters ranking_parameters;
    std::string time_zone = "UTC";
    absl::Time load_time;
  };
  absl::StatusOr<Cached> Load(const std::string& tenant);

  pg::ConnectionPool& pool_;
  const absl::Duration ttl_;
  std::function<absl::Time()> now_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mu_);
};

// Vote settings with every default written out (what GetVoteSettings
// returns for a tenant that never changed them).
v1::VoteSettings DefaultVoteSettings();

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_STORE_H_
