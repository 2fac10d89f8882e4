#include "services/ranking/repository/post_store.h"

#include "libs/pg/arrays.h"
#include "services/ranking/cache/ranking_keys.h"

namespace agora::ranking {
namespace {

constexpr char kPostColumns[] =
    "tenant, id, kind, space, category, round, in_reply_to, author, mode,"
    " published, (extract(epoch FROM first_publish_time) * 1000000)::bigint";

PostInfo PostFromRow(const pqxx::row& row) {
  PostInfo post;
  post.tenant = row[0].as<std::string>();
  post.id = row[1].as<std::string>();
  post.kind = static_cast<ContentKind>(row[2].as<int>());
  post.space = row[3].as<std::string>();
  post.category = row[4].as<std::string>();
  post.round = row[5].as<std::string>();
  post.in_reply_to = row[6].as<std::string>();
  post.author = row[7].as<std::string>();
  post.announced_mode = static_cast<EvaluationMode>(row[8].as<int>());
  post.published = row[9].as<bool>();
  post.first_publish_time = absl::FromUnixMicros(row[10].as<int64_t>());
  return post;
}

void SplitKeys(const std::vector<std::pair<std::string, std::string>>& keys,
               std::vector<std::string>& tenants,
               std::vector<std::string>& ids) {
  for (const auto& [tenant, id] : keys) {
    tenants.push_back(tenant);
    ids.push_back(id);
  }
}

StoredVote VoteOfGroup(const pqxx::row& row) {
  StoredVote vote;
  vote.axis = static_cast<VoteAxis>(row[0].as<int>());
  vote.choice = static_cast<VoteChoice>(row[1].as<int>());
  vote.stars = row[2].as<int>();
  vote.status = static_cast<v1::Vote::Status>(row[3].as<int>());
  vote.verified_customer = row[4].as<bool>();
  return vote;
}

}  // namespace

std::map<std::pair<std::string, std::string>, PostInfo> LoadPosts(
    pqxx::transaction_base& tx,
    const std::vector<std::pair<std::string, std::string>>& keys) {
  std::map<std::pair<std::string, std::string>, PostInfo> posts;
  if (keys.empty()) return posts;
  std::vector<std::string> tenants, ids;
  SplitKeys(keys, tenants, ids);
  const pqxx::result rows =
      tx.exec_params(std::string("SELECT ") + kPostColumns +
                         " FROM posts WHERE (tenant, id) IN"
                         " (SELECT * FROM unnest($1::text[], $2::text[]))",
                     pg::ToTextArray(tenants), pg::ToTextArray(ids));
  for (const pqxx::row& row : rows) {
    PostInfo post = PostFromRow(row);
    posts[{post.tenant, post.id}] = std::move(post);
  }
  return posts;
}

std::optional<PostInfo> LoadPost(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& id) {
  const pqxx::result rows =
      tx.exec_params(std::string("SELECT ") + kPostColumns +
                         " FROM posts WHERE tenant = $1 AND id = $2",
                     tenant, id);
  if (rows.empty()) return std::nullopt;
  return PostFromRow(rows[0]);
}

std::map<std::pair<std::string, std::string>, MemberInfo> LoadMembers(
    pqxx::transaction_base& tx,
    const std::vector<std::pair<std::string, std::string>>& keys) {
  std::map<std::pair<std::string, std::string>, MemberInfo> members;
  if (keys.empty()) return members;
  std::vector<std::string> tenants, ids;
  SplitKeys(keys, tenants, ids);
  const pqxx::result rows = tx.exec_params(
      "SELECT tenant, id,"
      " (extract(epoch FROM register_time) * 1000000)::bigint,"
      " verified_customer FROM members WHERE (tenant, id) IN"
      " (SELECT * FROM unnest($1::text[], $2::text[]))",
      pg::ToTextArray(tenants), pg::ToTextArray(ids));
  for (const pqxx::row& row : rows) {
    members[{row[0].as<std::string>(), row[1].as<std::string>()}] = MemberInfo{
        absl::FromUnixMicros(row[2].as<int64_t>()), row[3].as<bool>()};
  }
  return members;
}

void SavePost(pqxx::transaction_base& tx, const PostInfo& post) {
  tx.exec_params(
      "INSERT INTO posts (tenant, id, kind, space, category, round,"
      " in_reply_to, author, mode, published, first_publish_time)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,"
      " (timestamptz 'epoch' + $11::bigint * interval '1 microsecond'))"
      " ON CONFLICT (tenant, id) DO UPDATE SET kind = excluded.kind,"
      " space = excluded.space, category = excluded.category,"
      " round = excluded.round, in_reply_to = excluded.in_reply_to,"
      " author = excluded.author, mode = excluded.mode,"
      " published = excluded.published, update_time = now()",
      post.tenant, post.id, static_cast<int>(post.kind), post.space,
      post.category, post.round, post.in_reply_to, post.author,
      static_cast<int>(post.announced_mode), post.published,
      absl::ToUnixMicros(post.first_publish_time));
}

void SaveMember(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& id, const MemberInfo& member) {
  tx.exec_params(
      "INSERT INTO members (tenant, id, register_time, verified_customer)"
      " VALUES ($1, $2, (timestamptz 'epoch' + $3::bigint * interval '1 "
      "microsecond'), $4)"
      " ON CONFLICT (tenant, id) DO UPDATE SET"
      " verified_customer = members.verified_customer OR"
      " excluded.verified_customer",
      tenant, id, absl::ToUnixMicros(member.register_time),
      member.verified_customer);
}

void SaveTenantTimeZone(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& time_zone) {
  tx.exec_params(
      "INSERT INTO tenants (id, time_zone) VALUES ($1, $2)"
      " ON CONFLICT (id) DO UPDATE SET time_zone = excluded.time_zone,"
      " update_time = now()",
      tenant, time_zone);
}

std::string LoadTimeZone(pqxx::transaction_base& tx,
                         const std::string& tenant) {
  const pqxx::result rows =
      tx.exec_params("SELECT time_zone FROM tenants WHERE id = $1", tenant);
  return rows.empty() ? "UTC" : rows[0][0].as<std::string>();
}

TallyCounts ComputeTally(pqxx::transaction_base& tx, const PostInfo& post,
                         EvaluationMode mode) {
  TallyFields fields;
  const pqxx::result votes = tx.exec_params(
      "SELECT axis, choice, stars, status, verified_customer, count(*)"
      " FROM votes WHERE tenant = $1 AND target = $2 GROUP BY 1, 2, 3, 4, 5",
      post.tenant, post.id);
  for (const pqxx::row& row : votes) {
    AddVote(VoteOfGroup(row), mode, static_cast<int>(row[5].as<int64_t>()),
            fields);
  }
  TallyCounts counts = CountsFromFields(fields);
  const pqxx::row replies = tx.exec_params1(
      "SELECT count(*) FROM posts WHERE tenant = $1 AND in_reply_to = $2"
      " AND published AND kind IN (2, 4)",
      post.tenant, post.id);
  counts.comments = replies[0].as<int64_t>();
  const pqxx::row shares = tx.exec_params1(
      "SELECT coalesce(sum(shares + clicks), 0)::bigint FROM post_shares"
      " WHERE tenant = $1 AND post = $2",
      post.tenant, post.id);
  counts.shares = shares[0].as<int64_t>();
  return counts;
}

DaySeries ComputeDays(pqxx::transaction_base& tx, const PostInfo& post,
                      EvaluationMode mode, const std::string& time_zone,
                      absl::Time now) {
  const int64_t since_micros =
      absl::ToUnixMicros(now - absl::Hours(24 * (kBucketDays + 1)));
  std::map<absl::CivilDay, TallyFields> vote_fields;
  DaySeries days;
  auto day_of = [](const pqxx::field& field) {
    // "YYYY-MM-DD"
    const std::string text = field.as<std::string>();
    return absl::CivilDay(std::stoi(text.substr(0, 4)),
                          std::stoi(text.substr(5, 2)),
                          std::stoi(text.substr(8, 2)));
  };
  const pqxx::result votes = tx.exec_params(
      "SELECT axis, choice, stars, status, verified_customer, count(*),"
      " (update_time AT TIME ZONE $3)::date::text FROM votes"
      " WHERE tenant = $1 AND target = $2"
      " AND update_time >= (timestamptz 'epoch' + $4::bigint * interval '1 "
      "microsecond')"
      " GROUP BY 1, 2, 3, 4, 5, 7",
      post.tenant, post.id, time_zone, since_micros);
  for (const pqxx::row& row : votes) {
    AddVote(VoteOfGroup(row), mode, static_cast<int>(row[5].as<int64_t>()),
            vote_fields[day_of(row[6])]);
  }
  for (const auto& [day, fields] : vote_fields) {
    days[day].net = NetScore(CountsFromFields(fields).all, mode);
  }
  const pqxx::result replies = tx.exec_params(
      "SELECT (first_publish_time AT TIME ZONE $3)::date::text, count(*)"
      " FROM posts WHERE tenant = $1 AND in_reply_to = $2 AND published"
      " AND kind IN (2, 4)"
      " AND first_publish_time >= (timestamptz 'epoch' + $4::bigint * interval "
      "'1 microsecond')"
      " GROUP BY 1",
      post.tenant, post.id, time_zone, since_micros);
  for (const pqxx::row& row : replies) {
    days[day_of(row[0])].comments = row[1].as<int64_t>();
  }
  const pqxx::result shares = tx.exec_params(
      "SELECT day::text, shares + clicks FROM post_shares"
      " WHERE tenant = $1 AND post = $2"
      " AND day >= ((timestamptz 'epoch' + $3::bigint * interval '1 "
      "microsecond')"
      " AT TIME ZONE $4)::date",
      post.tenant, post.id, since_micros, time_zone);
  for (const pqxx::row& row : shares) {
    days[day_of(row[0])].shares = row[1].as<int64_t>();
  }
  return days;
}

std::vector<std::string> TenantsWithPosts(pqxx::transaction_base& tx) {
  std::vector<std::string> tenants;
  for (const pqxx::row& row : tx.exec("SELECT DISTINCT tenant FROM posts")) {
    tenants.push_back(row[0].as<std::string>());
  }
  return tenants;
}

void MarkPendingRepair(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::vector<std::string>& posts) {
  tx.exec_params(
      "INSERT INTO pending_repairs (tenant, post)"
      " SELECT $1, unnest($2::text[])"
      " ON CONFLICT (tenant, post) DO UPDATE SET since = now()",
      tenant, pg::ToTextArray(posts));
}

std::vector<std::pair<std::string, std::string>> PendingRepairs(
    pqxx::transaction_base& tx, int limit) {
  std::vector<std::pair<std::string, std::string>> posts;
  const pqxx::result rows = tx.exec_params(
      "SELECT tenant, post FROM pending_repairs ORDER BY since LIMIT $1",
      limit);
  for (const pqxx::row& row : rows) {
    posts.emplace_back(row[0].as<std::string>(), row[1].as<std::string>());
  }
  return posts;
}

std::string PendingRepairVersion(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& post) {
  const pqxx::result rows = tx.exec_params(
      "SELECT xmin::text FROM pending_repairs WHERE tenant = $1 AND post = $2",
      tenant, post);
  return rows.empty() ? "" : rows[0][0].as<std::string>();
}

void ClearPendingRepair(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& post, const std::string& version) {
  tx.exec_params(
      "DELETE FROM pending_repairs WHERE tenant = $1 AND post = $2"
      " AND xmin::text = $3",
      tenant, post, version);
}

}  // namespace agora::ranking
