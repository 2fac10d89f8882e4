// Short links and their figures in PostgreSQL: creation and lookup, lists,
// per-network and daily aggregates of a post, and what a flush writes
// (counter deltas once per batch, merged HyperLogLog sketches, milestones).
#ifndef AGORA_SERVICES_SHARE_REPOSITORY_LINK_STORE_H_
#define AGORA_SERVICES_SHARE_REPOSITORY_LINK_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace agora::share {

struct LinkRow {
  std::string tenant;
  std::string code;
  std::string post;
  int post_kind = 0;            // from the post projection
  bool post_published = false;  // from the post projection
  int network = 0;              // agora.common.v1.ShareNetwork
  std::string sharer;           // member id, or "" (anonymous or erased)
  std::string target_url;
  std::string utm_campaign;
  absl::Time create_time;
  int64_t clicks = 0;
  int64_t bot_clicks = 0;
  int64_t unique_visitors = 0;
  std::optional<absl::Time> first_click_time;
  std::optional<absl::Time> last_click_time;
};

std::optional<LinkRow> FindLink(pqxx::transaction_base& tx,
                                const std::string& tenant,
                                const std::string& code);

// The live (not erased) link of this post, network and sharer.
std::optional<LinkRow> FindLinkFor(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& post, int network,
                                   const std::string& sharer);

// False when the code is taken or the (post, network, sharer) link exists.
bool InsertLink(pqxx::transaction_base& tx, const LinkRow& link);

struct LinkFilter {
  std::string post;    // "" for any
  std::string sharer;  // "" for any
  int network = 0;     // 0 for any
};
struct LinkCursor {
  absl::Time create_time;
  std::string code;
};
// Newest first, after `after` when set; at most `limit` rows.
std::vector<LinkRow> ListLinks(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const LinkFilter& filter,
                               const std::optional<LinkCursor>& after,
                               int limit);

struct NetworkRow {
  int network = 0;
  int64_t links_created = 0;
  int64_t shares = 0;
  int64_t clicks = 0;
  int64_t bot_clicks = 0;
};
std::vector<NetworkRow> NetworkFigures(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& post);

struct DayRow {
  absl::CivilDay day;
  int64_t clicks = 0;
  int64_t bot_clicks = 0;
};
// Days in [first, last], oldest first (days without clicks left out).
std::vector<DayRow> DailyFigures(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& post, absl::CivilDay first,
                                 absl::CivilDay last);

// --- Flushes. ---

// True the first time a batch is recorded; false when it was applied
// before (its counters must not be added again).
bool MarkBatchApplied(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& batch);

// Clicks of one link on one day, as counted in Redis since the last flush.
struct LinkDayDelta {
  std::string code;
  absl::CivilDay day;
  int64_t clicks = 0;
  int64_t bot_clicks = 0;
};
// Adds the deltas to link_days and the links' totals.
void AddClickDeltas(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::vector<LinkDayDelta>& deltas);

// First and last click times seen in a batch; first only for human clicks.
struct LinkTimes {
  std::optional<absl::Time> first_human;
  std::optional<absl::Time> last;
};
// Records the times; returns the codes whose first human click this is
// (they just became shares).
std::vector<std::string> RecordClickTimes(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::map<std::string, LinkTimes>& times);

// The links of these codes (for the events a flush announces).
std::map<std::string, LinkRow> LinksByCode(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::set<std::string>& codes);

// Registers of the stored sketches of these scopes (absent ones left out).
std::map<std::string, std::string> LoadSketches(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& scopes);

struct Sketch {
  std::string scope;
  std::string registers;
  int64_t estimate = 0;
};
void SaveSketches(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::vector<Sketch>& sketches);

// Estimates of these scopes (absent ones are 0).
std::map<std::string, int64_t> SketchEstimates(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& scopes);

// Unique visitors of links (code -> estimate), in one statement.
void SetUniqueVisitors(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::map<std::string, int64_t>& estimates);

// Of `milestones`, those this link reaches for the first time.
std::vector<int64_t> RecordMilestones(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& code,
                                      const std::vector<int64_t>& milestones);

// Drops applied batches older than `age`.
void PruneAppliedBatches(pqxx::transaction_base& tx, absl::Duration age);

// --- Erasure. ---

// The member's links keep their figures but no longer name them.
void EraseSharer(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_REPOSITORY_LINK_STORE_H_
