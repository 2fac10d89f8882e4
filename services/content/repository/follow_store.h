// Follows in PostgreSQL: the only code that knows the follows table. A post
// follow also moves the post's follower_count, in the same statement's
// transaction, so the counter never drifts from the rows.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_FOLLOW_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_FOLLOW_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"

namespace agora::content {

// What a follow points at, inside one tenant.
struct FollowTarget {
  enum Kind { kPost = 1, kCategory = 2, kMember = 3 };
  Kind kind = kPost;
  // Post id, "space/category", or member id.
  std::string key;

  static FollowTarget Post(std::string id) { return {kPost, std::move(id)}; }
  static FollowTarget Member(std::string id) {
    return {kMember, std::move(id)};
  }
};

std::string FollowResourceName(const std::string& tenant,
                               const std::string& member,
                               const std::string& id);

std::optional<v1::Follow> FindFollow(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const std::string& member,
                                     const std::string& id);
std::optional<v1::Follow> FindFollowOf(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& member,
                                       const FollowTarget& target);

struct FollowInsert {
  v1::Follow follow;  // the new follow, or the one that existed
  bool inserted = false;
};
// Follows `target` unless the member already does (then returns that
// follow, whatever its reason).
FollowInsert InsertFollow(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member, const FollowTarget& target,
                          v1::FollowReason reason, absl::Time now);

// How many follows the member has.
int64_t CountFollows(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member);

// False when there was no such follow.
bool DeleteFollowRow(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member, const std::string& id);

// The member's follows newest first, strictly after `before` (create time
// in microseconds, id), only those of `only` when given.
std::vector<v1::Follow> ListFollowRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member,
    const std::optional<std::pair<int64_t, std::string>>& before,
    const std::optional<FollowTarget>& only, int limit);

// Everything the member follows, oldest first (exports).
std::vector<v1::Follow> AllFollowRows(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& member);

// Member ids following `target`.
std::vector<std::string> FollowersOf(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const FollowTarget& target);

// The followers of post `from` follow post `to` instead (reason MERGED for
// those who did not already); both posts' follower counts follow. Returns
// how many follows were moved.
int MovePostFollowers(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& from, const std::string& to,
                      absl::Time now);

// Removes what the member follows and every follow of the member.
void DeleteFollowsOfMember(pqxx::transaction_base& tx,
                           const std::string& tenant,
                           const std::string& member);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_FOLLOW_STORE_H_
