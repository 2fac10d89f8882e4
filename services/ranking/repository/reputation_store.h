// Reputation in PostgreSQL (migrations/0002_reputation.sql): the tenant's
// policy document, the ledger of changes, members' totals and titles, the
// posts counted as published, active days and contributions. SQL only
// here; the rules live in domain/reputation.cc. Days are the tenant's
// calendar days, computed by the caller.
#ifndef AGORA_SERVICES_RANKING_REPOSITORY_REPUTATION_STORE_H_
#define AGORA_SERVICES_RANKING_REPOSITORY_REPUTATION_STORE_H_

#include <cstdint>
#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "agora/common/v1/common.pb.h"
#include "agora/ranking/v1/ranking.pb.h"

namespace agora::ranking {

// --- Policy (settings row of kind "reputation_policy") ---

struct StoredReputationPolicy {
  // The stored document (no name, etag or update_time); nullopt when the
  // tenant never changed its policy.
  std::optional<v1::ReputationPolicy> policy;
  int64_t version = 0;  // 0 when never stored
  absl::Time update_time = absl::InfinitePast();
};
// `for_update` locks the row (an update reads, checks the etag, writes).
StoredReputationPolicy LoadReputationPolicy(pqxx::transaction_base& tx,
                                            const std::string& tenant,
                                            bool for_update = false);
// Stores the document; returns its new version.
int64_t SaveReputationPolicy(pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const v1::ReputationPolicy& body, absl::Time now);

bool TenantKnown(pqxx::transaction_base& tx, const std::string& tenant);

// --- Applied events ---

// True the first time `event_id` (a UUID) is recorded; false when it was
// applied before.
bool RecordReputationSource(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& event_id);

// --- Totals ---

struct ReputationFigures {
  int64_t points = 1;
  int64_t published_posts = 0;
  int64_t accepted_answers = 0;
  int64_t helpful_reviews = 0;
  int64_t active_days = 0;
  absl::Time update_time = absl::InfinitePast();
};

// Locks the members' rows, creating the missing ones with the starting
// figures, in one fixed order (two events touching the same members never
// deadlock), and returns their figures by member id.
std::map<std::string, ReputationFigures> LockReputations(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& members, absl::Time now);
std::optional<ReputationFigures> LoadReputation(pqxx::transaction_base& tx,
                                                const std::string& tenant,
                                                const std::string& member);
void SaveReputation(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& member,
                    const ReputationFigures& figures);
// Members of the tenant with more points than `points`.
int64_t CountMembersAbove(pqxx::transaction_base& tx, const std::string& tenant,
                          int64_t points);

// --- Ledger ---

struct LedgerRow {
  std::string id;        // UUID; set by InsertLedgerRow
  int64_t position = 0;  // order of application; set by InsertLedgerRow
  std::string member;
  int reason = 0;  // v1::ReputationReason
  int64_t points = 0;
  int64_t uncapped_points = 0;
  int subject_kind = 0;  // common::v1::ContentKind
  std::string subject;   // post id, "" when none
  std::string source_event;
  int source_seq = 0;
  std::string award_key;  // "" for undo rows
  std::string undoes;     // id of the row reversed, "" when none
  bool undone = false;
  bool counts_toward_cap = false;
  absl::CivilDay day;
  absl::Time create_time;
};

// Inserts the row and sets its id and position.
void InsertLedgerRow(pqxx::transaction_base& tx, const std::string& tenant,
                     LedgerRow& row);
// The standing (not undone) award of `key` to the member, locked.
std::optional<LedgerRow> FindStandingAward(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::string& member,
                                           const std::string& key);
void MarkUndone(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& id);
// Points of standing capped rows on `day`: what the daily cap has used.
int64_t PointsTowardCap(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& member, absl::CivilDay day);

struct PointsInWindows {
  int64_t today = 0;
  int64_t week = 0;   // the last 7 days, today included
  int64_t month = 0;  // the last 30 days, today included
};
PointsInWindows SumPoints(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member, absl::CivilDay today);

// Newest first (latest applied first among rows of the same time):
// (create_time, position) below `after`, inside [start, end).
struct LedgerPosition {
  int64_t create_micros = 0;
  int64_t position = 0;
};
std::vector<LedgerRow> ListLedgerRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member, std::optional<absl::Time> start,
    std::optional<absl::Time> end, const std::optional<LedgerPosition>& after,
    int limit);

// --- Titles ---

struct HeldTitle {
  std::string title_id;
  common::v1::LocalizedText display_name;
  absl::Time award_time;
};
// Oldest first.
std::vector<HeldTitle> LoadTitles(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& member);
void InsertTitle(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member, const HeldTitle& title);
void DeleteTitle(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member, const std::string& title_id);

// --- Activity ---

struct CountedPost {
  std::string author;
  bool counted = false;
};
// The post's counting state, locked; nullopt for a post never seen.
std::optional<CountedPost> LoadCountedPost(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::string& post);
void SaveCountedPost(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& post, const CountedPost& state);

// True when the day was not yet an active day of the member.
bool MarkActiveDay(pqxx::transaction_base& tx, const std::string& tenant,
                   const std::string& member, absl::CivilDay day);
void AddContribution(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member, absl::CivilDay day,
                     int contribution, int64_t delta);

// --- Members ---

// Member ids among `members` that identity announced as erased.
std::vector<std::string> ErasedMembers(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::vector<std::string>& members);
enum class MemberPresence { kUnknown, kKnown, kErased };
// Known: announced by identity, or holding reputation or votes.
MemberPresence FindMember(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member);
// Deletes the member's reputation, history, titles and activity, and
// takes their id out of the award keys of the votes they cast.
void EraseReputation(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_REPOSITORY_REPUTATION_STORE_H_
