#include "services/content/repository/follow_store.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/arrays.h"
#include "services/content/repository/post_store.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

// Column order read by FollowFromRow.
constexpr char kFollowColumns[] =
    "id, target_kind, target, reason,"
    " (extract(epoch FROM create_time) * 1000000)::bigint";

std::string Micros(absl::Time time) {
  return std::to_string(absl::ToUnixMicros(time));
}

v1::Follow FollowFromRow(const std::string& tenant, const std::string& member,
                         const pqxx::row& row) {
  v1::Follow follow;
  follow.set_name(FollowResourceName(tenant, member, row[0].as<std::string>()));
  const std::string target = row[2].as<std::string>();
  switch (row[1].as<int>()) {
    case FollowTarget::kPost:
      follow.set_post(PostResourceName(tenant, target));
      break;
    case FollowTarget::kCategory: {
      const size_t slash = target.find('/');
      follow.set_category(absl::StrCat("tenants/", tenant, "/spaces/",
                                       target.substr(0, slash), "/categories/",
                                       target.substr(slash + 1)));
      break;
    }
    case FollowTarget::kMember:
      follow.set_member(absl::StrCat("tenants/", tenant, "/members/", target));
      break;
    default:
      break;
  }
  follow.set_reason(static_cast<v1::FollowReason>(row[3].as<int>()));
  *follow.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[4].as<int64_t>());
  return follow;
}

void MoveFollowerCount(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& post, int delta) {
  tx.exec_params(
      "UPDATE posts SET follower_count = greatest(follower_count + $3, 0)"
      " WHERE tenant = $1 AND id = $2",
      tenant, post, delta);
}

}  // namespace

std::string FollowResourceName(const std::string& tenant,
                               const std::string& member,
                               const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/members/", member, "/follows/", id);
}

std::optional<v1::Follow> FindFollow(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const std::string& member,
                                     const std::string& id) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kFollowColumns,
                   " FROM follows WHERE tenant = $1 AND member = $2"
                   " AND id = $3"),
      tenant, member, id);
  if (rows.empty()) return std::nullopt;
  return FollowFromRow(tenant, member, rows[0]);
}

std::optional<v1::Follow> FindFollowOf(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& member,
                                       const FollowTarget& target) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kFollowColumns,
                   " FROM follows WHERE tenant = $1 AND member = $2"
                   " AND target_kind = $3 AND target = $4"),
      tenant, member, static_cast<int>(target.kind), target.key);
  if (rows.empty()) return std::nullopt;
  return FollowFromRow(tenant, member, rows[0]);
}

FollowInsert InsertFollow(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member, const FollowTarget& target,
                          v1::FollowReason reason, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("INSERT INTO follows (tenant, member, id, target_kind,"
                   " target, reason, create_time) VALUES ($1, $2, $3, $4, $5,"
                   " $6, timestamptz 'epoch' + $7::bigint * interval"
                   " '1 microsecond') ON CONFLICT DO NOTHING RETURNING ",
                   kFollowColumns),
      tenant, member, NewContentId(), static_cast<int>(target.kind), target.key,
      static_cast<int>(reason), Micros(now));
  FollowInsert result;
  if (!rows.empty()) {
    result.inserted = true;
    result.follow = FollowFromRow(tenant, member, rows[0]);
    if (target.kind == FollowTarget::kPost) {
      MoveFollowerCount(tx, tenant, target.key, 1);
    }
    return result;
  }
  // The row it met. CreateFollow holds the member's lock, so no delete
  // races it there; automatic follows do not read the result.
  std::optional<v1::Follow> existing = FindFollowOf(tx, tenant, member, target);
  if (existing.has_value()) result.follow = *std::move(existing);
  return result;
}

int64_t CountFollows(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member) {
  return tx
      .exec_params1(
          "SELECT count(*) FROM follows WHERE tenant = $1 AND member = $2",
          tenant, member)[0]
      .as<int64_t>();
}

bool DeleteFollowRow(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member, const std::string& id) {
  const pqxx::result rows = tx.exec_params(
      "DELETE FROM follows WHERE tenant = $1 AND member = $2 AND id = $3"
      " RETURNING target_kind, target",
      tenant, member, id);
  if (rows.empty()) return false;
  if (rows[0][0].as<int>() == FollowTarget::kPost) {
    MoveFollowerCount(tx, tenant, rows[0][1].as<std::string>(), -1);
  }
  return true;
}

std::vector<v1::Follow> ListFollowRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member,
    const std::optional<std::pair<int64_t, std::string>>& before,
    const std::optional<FollowTarget>& only, int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kFollowColumns,
                   " FROM follows WHERE tenant = $1 AND member = $2"
                   " AND (NOT $3 OR (create_time, id) < (timestamptz 'epoch' +"
                   " $4::bigint * interval '1 microsecond', $5))"
                   " AND (NOT $6 OR (target_kind = $7 AND target = $8))"
                   " ORDER BY create_time DESC, id DESC LIMIT $9"),
      tenant, member, before.has_value(), before ? before->first : 0,
      before ? before->second : std::string(), only.has_value(),
      only ? static_cast<int>(only->kind) : 0, only ? only->key : std::string(),
      limit);
  std::vector<v1::Follow> follows;
  for (const pqxx::row& row : rows) {
    follows.push_back(FollowFromRow(tenant, member, row));
  }
  return follows;
}

std::vector<v1::Follow> AllFollowRows(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& member) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kFollowColumns,
                   " FROM follows WHERE tenant = $1 AND member = $2"
                   " ORDER BY create_time, id"),
      tenant, member);
  std::vector<v1::Follow> follows;
  for (const pqxx::row& row : rows) {
    follows.push_back(FollowFromRow(tenant, member, row));
  }
  return follows;
}

std::vector<std::string> FollowersOf(pqxx::transaction_base& tx,
                                     const std::string& tenant,
                                     const FollowTarget& target) {
  const pqxx::result rows = tx.exec_params(
      "SELECT member FROM follows WHERE tenant = $1 AND target_kind = $2"
      " AND target = $3",
      tenant, static_cast<int>(target.kind), target.key);
  std::vector<std::string> members;
  members.reserve(rows.size());
  for (const pqxx::row& row : rows) members.push_back(row[0].as<std::string>());
  return members;
}

int MovePostFollowers(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& from, const std::string& to,
                      absl::Time now) {
  const pqxx::result gone = tx.exec_params(
      "DELETE FROM follows WHERE tenant = $1 AND target_kind = $2"
      " AND target = $3 RETURNING member",
      tenant, static_cast<int>(FollowTarget::kPost), from);
  if (gone.empty()) return 0;
  MoveFollowerCount(tx, tenant, from, -static_cast<int>(gone.size()));
  std::vector<std::string> members;
  std::vector<std::string> ids;
  for (const pqxx::row& row : gone) {
    members.push_back(row[0].as<std::string>());
    ids.push_back(NewContentId());
  }
  // One statement for every follower: a popular duplicate moves at once.
  const pqxx::result added = tx.exec_params(
      "INSERT INTO follows (tenant, member, id, target_kind, target, reason,"
      " create_time) SELECT $1, m, i, $4, $5, $6, timestamptz 'epoch' +"
      " $7::bigint * interval '1 microsecond'"
      " FROM unnest($2::text[], $3::text[]) AS f(m, i)"
      " ON CONFLICT DO NOTHING RETURNING 1",
      tenant, pg::ToTextArray(members), pg::ToTextArray(ids),
      static_cast<int>(FollowTarget::kPost), to,
      static_cast<int>(v1::FOLLOW_REASON_MERGED), Micros(now));
  if (!added.empty()) {
    MoveFollowerCount(tx, tenant, to, static_cast<int>(added.size()));
  }
  return static_cast<int>(gone.size());
}

void DeleteFollowsOfMember(pqxx::transaction_base& tx,
                           const std::string& tenant,
                           const std::string& member) {
  tx.exec_params(
      "WITH gone AS (DELETE FROM follows WHERE tenant = $1 AND member = $2"
      " RETURNING target_kind, target)"
      " UPDATE posts p SET follower_count = greatest(p.follower_count - g.n,"
      " 0) FROM (SELECT target, count(*) AS n FROM gone WHERE target_kind ="
      " $3 GROUP BY target) g WHERE p.tenant = $1 AND p.id = g.target",
      tenant, member, static_cast<int>(FollowTarget::kPost));
  tx.exec_params(
      "DELETE FROM follows WHERE tenant = $1 AND target_kind = $2"
      " AND target = $3",
      tenant, static_cast<int>(FollowTarget::kMember), member);
}

}  // namespace agora::content
