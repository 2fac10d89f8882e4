// Redis key names of the ranking service. Every key carries the tenant as
// a hash tag ("agora:{fr}:rk:..."), so one tenant's tallies and boards sit
// in one Redis Cluster slot and every script touches one slot only.
//
// Tallies and boards live under a generation ("agora:{fr}:rk:7:..."), the
// number in "agora:{fr}:rk:gen": a rebuild writes generation 8 beside 7 and
// swaps by setting the number, so readers never see a half-built board. A
// missing number means Redis lost the tenant's data (FLUSHALL, failover):
// the service rebuilds it.
#ifndef AGORA_SERVICES_RANKING_CACHE_RANKING_KEYS_H_
#define AGORA_SERVICES_RANKING_CACHE_RANKING_KEYS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/redis/keys.h"
#include "services/ranking/domain/vote_model.h"

namespace agora::ranking {

// Where a board ranks: the tenant, narrowed by at most one of space,
// category and round, optionally by kind. Encoded in key names as "t",
// "s.{space}", "c.{category}", "r.{round}", plus "~k{kind}".
struct Scope {
  std::string space;
  std::string category;
  std::string round;
  ContentKind kind = common::v1::CONTENT_KIND_UNSPECIFIED;

  std::string Encode() const;
};

// Every scope a post is ranked in (the tenant, its space, category and
// round, each with and without its kind).
std::vector<Scope> ScopesOf(const PostInfo& post);

// The scopes of the most-active-members board a post's author earns in:
// the tenant and the post's space.
std::vector<Scope> MemberScopesOf(const PostInfo& post);

// Short stable name of a board in keys ("hot", "best", ...).
std::string BoardName(v1::Board board);

class RankingKeys {
 public:
  RankingKeys(const redis::KeyBuilder& keys, std::string tenant);

  const std::string& tenant() const { return tenant_; }
  std::string Generation() const;
  // Held by the replica rebuilding the tenant.
  std::string RebuildLock() const;
  // Posts changed while a rebuild runs (recomputed after the swap).
  std::string Touched() const;
  // The last generation number handed out.
  std::string NextGeneration() const;
  // The trending board keys written last time in a generation (outside
  // the generation's own keys, expiring by itself).
  std::string TrendingKeys(int64_t generation) const;
  std::string Tally(int64_t generation, const std::string& post) const;
  // Hash post id -> content kind of every ranked post (board readers show
  // each entry's kind without reading its tally).
  std::string Kinds(int64_t generation) const;
  std::string Board(int64_t generation, v1::Board board,
                    const Scope& scope) const;
  // A day's bucket of a windowed board (the tenant's calendar day).
  std::string DayBucket(int64_t generation, v1::Board board, const Scope& scope,
                        absl::CivilDay day) const;
  // The cached union of the `days` buckets ending on `today`.
  std::string WindowUnion(int64_t generation, v1::Board board,
                          const Scope& scope, int days,
                          absl::CivilDay today) const;
  // Every key of a generation, for SCAN MATCH when deleting it.
  std::string GenerationPattern(int64_t generation) const;

 private:
  std::string Key(std::initializer_list<absl::string_view> parts) const;

  std::string prefix_;  // "agora:{fr}:rk"
  std::string tenant_;
};

// Windowed boards keep this many days of buckets (a month and a margin).
inline constexpr int kBucketDays = 31;

// Seconds since the epoch at which a day's bucket expires.
int64_t BucketExpiry(absl::CivilDay day);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_CACHE_RANKING_KEYS_H_
