// Posts, members and tenants as the ranking service knows them from other
// services' events, and the sums of a post's votes and replies that a
// tally and its day buckets are made of. SQL only here.
#ifndef AGORA_SERVICES_RANKING_REPOSITORY_POST_STORE_H_
#define AGORA_SERVICES_RANKING_REPOSITORY_POST_STORE_H_

#include <map>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/domain/vote_model.h"

namespace agora::ranking {

struct MemberInfo {
  absl::Time register_time;
  bool verified_customer = false;
};

// Posts by (tenant, id) for the pairs given (unknown ones are absent).
std::map<std::pair<std::string, std::string>, PostInfo> LoadPosts(
    pqxx::transaction_base& tx,
    const std::vector<std::pair<std::string, std::string>>& keys);

std::optional<PostInfo> LoadPost(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& id);

std::map<std::pair<std::string, std::string>, MemberInfo> LoadMembers(
    pqxx::transaction_base& tx,
    const std::vector<std::pair<std::string, std::string>>& keys);

// Inserts or updates a post from content's events.
void SavePost(pqxx::transaction_base& tx, const PostInfo& post);
void SaveMember(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& id, const MemberInfo& member);
void SaveTenantTimeZone(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& time_zone);
// "UTC" for tenants identity never announced.
std::string LoadTimeZone(pqxx::transaction_base& tx, const std::string& tenant);

// A post's tally computed from its votes, replies and shares, in `mode`.
TallyCounts ComputeTally(pqxx::transaction_base& tx, const PostInfo& post,
                         EvaluationMode mode);

// A post's day buckets over the last kBucketDays days of the tenant's
// calendar (`time_zone`), from the same rows.
DaySeries ComputeDays(pqxx::transaction_base& tx, const PostInfo& post,
                      EvaluationMode mode, const std::string& time_zone,
                      absl::Time now);

// Every tenant with at least one post (the ones with boards to keep).
std::vector<std::string> TenantsWithPosts(pqxx::transaction_base& tx);

// Records posts whose Redis state missed an update, and takes them back.
void MarkPendingRepair(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::vector<std::string>& posts);
std::vector<std::pair<std::string, std::string>> PendingRepairs(
    pqxx::transaction_base& tx, int limit);
// The version of the post's pending-repair mark (the row's xmin: every
// mark, first or repeated, writes a new one), "" when there is none. A
// repair reads it before it reads the post and clears only that version,
// so a mark committed meanwhile (a change the repair may have missed)
// survives. Versions, not times: the service's clock and PostgreSQL's
// differ, and a transaction's now() is its start, not its commit.
std::string PendingRepairVersion(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& post);
void ClearPendingRepair(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& post, const std::string& version);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_REPOSITORY_POST_STORE_H_
