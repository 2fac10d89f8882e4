// Writes tallies and board entries to Redis: a batch of votes' changes
// (incremental, two pipelined round trips for the whole batch), or one
// post's whole state (absolute: the repair from PostgreSQL, a post
// published or hidden). Scores come from domain/board_scores, keys from
// ranking_keys, scripts from ranking_scripts.
#ifndef AGORA_SERVICES_RANKING_CACHE_BOARD_WRITER_H_
#define AGORA_SERVICES_RANKING_CACHE_BOARD_WRITER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/vote_model.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking {

// What a post adds to the windowed boards on one day of the tenant's
// calendar: net score of the votes changed that day, replies published
// that day, shares and clicks that day.
struct DayCounts {
  int64_t net = 0;
  int64_t comments = 0;
  int64_t shares = 0;
  bool operator==(const DayCounts&) const = default;
};
using DaySeries = std::map<absl::CivilDay, DayCounts>;

// One post's change from a batch of votes.
struct TallyChange {
  PostInfo post;
  EvaluationMode mode = common::v1::EVALUATION_MODE_UNSPECIFIED;
  TallyFields delta;
  DaySeries day_delta;
};

enum class WriteOutcome {
  kWritten,
  kNeedsRepair,   // the tally was missing: repair the post from PostgreSQL
  kNeedsRebuild,  // the tenant has no generation: rebuild it
  kMoved,         // the tally's version moved on since it was read
};

struct AppliedChange {
  WriteOutcome outcome = WriteOutcome::kWritten;
  TallyView view;  // after the change, when written
};

// The tenant's formula parameters (cached by the caller).
using ParametersSource =
    std::function<formulas::FormulaParameters(const std::string& tenant)>;

class BoardWriter {
 public:
  BoardWriter(redis::RedisClient& redis, redis::KeyBuilder keys,
              ParametersSource parameters);

  // The tenant's live generation, cached in the process until a script
  // reports another. NOT_FOUND when Redis holds none (rebuild needed);
  // UNAVAILABLE when Redis is down.
  absl::StatusOr<int64_t> Generation(const std::string& tenant);
  void ForgetGeneration(const std::string& tenant);

  // Applies the changes; one AppliedChange per change, in order.
  // UNAVAILABLE when Redis is down (nothing can be said of what landed).
  absl::StatusOr<std::vector<AppliedChange>> Apply(
      absl::Span<const TallyChange> changes);

  // Replaces everything Redis holds of one post in the live generation:
  // its tally (deleted when `view` is nullopt: unpublished posts have
  // none), its all-time board entries, and its day buckets over the last
  // kBucketDays days ending on `today` (days missing from `days` are
  // removed).
  // With `expected_version`, writes only if the tally's version is still
  // that one (kMoved otherwise): the check and the rewrite are one script.
  absl::StatusOr<WriteOutcome> WritePost(
      const PostInfo& post, const std::optional<TallyView>& view,
      const DaySeries& days, absl::CivilDay today,
      std::optional<int64_t> expected_version = std::nullopt);

  // The same commands for a generation being built (no generation check):
  // appended to `commands` for the rebuild to pipeline.
  void AppendPostCommands(int64_t generation, const PostInfo& post,
                          const TallyView& view, const DaySeries& days,
                          std::vector<redis::Command>& commands);

  redis::RedisClient& redis() { return redis_; }
  const redis::KeyBuilder& keys() const { return keys_; }

 private:
  // Board keys and scores of a post's all-time entries.
  void AllTimeEntries(int64_t generation, const PostInfo& post,
                      const std::optional<TallyView>& view,
                      std::vector<std::string>& keys,
                      std::vector<std::string>& scores);

  redis::RedisClient& redis_;
  redis::KeyBuilder keys_;
  ParametersSource parameters_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, int64_t> generations_ ABSL_GUARDED_BY(mu_);
};

// The tally hash of HGETALL's flat reply.
TallyFields ParseTallyHash(const redis::Reply& reply);

// A score as Redis stores it (17 significant digits, round-trips exactly).
std::string ScoreText(double score);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_CACHE_BOARD_WRITER_H_
