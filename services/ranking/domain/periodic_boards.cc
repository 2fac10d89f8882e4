#include "services/ranking/domain/periodic_boards.h"

#include <map>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/pg/transaction.h"
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/board_scores.h"
#include "services/ranking/formulas/trending.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

std::string TimeParam(int n) {
  return absl::StrCat("(timestamptz 'epoch' + $", n,
                      "::bigint * interval '1 microsecond')");
}

// Replaces `key` with exactly `entries` (member -> score) in one MULTI:
// the new set is built under a scratch name and renamed over the old.
void AppendSwap(const std::string& key,
                const std::map<std::string, double>& entries,
                std::vector<redis::Command>& commands) {
  if (entries.empty()) {
    commands.push_back({"DEL", key});
    return;
  }
  const std::string scratch = key + ":next";
  commands.push_back({"DEL", scratch});
  redis::Command zadd = {"ZADD", scratch};
  for (const auto& [member, score] : entries) {
    zadd.push_back(ScoreText(score));
    zadd.push_back(member);
  }
  commands.push_back(std::move(zadd));
  commands.push_back({"RENAME", scratch, key});
}

absl::Status RunCommands(RankingContext& context,
                         const std::vector<redis::Command>& commands) {
  if (commands.empty()) return absl::OkStatus();
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context.redis.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const redis::Reply& reply : *replies) {
    if (reply.is_error()) {
      return absl::UnavailableError(
          absl::StrCat("ranking: periodic board write failed: ", reply.text));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::map<std::string, formulas::TrendingActivity> ReadTrendingActivity(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& only_post, absl::Time recent_start,
    absl::Time baseline_start, const std::string& time_zone) {
  std::map<std::string, formulas::TrendingActivity> activity;
  const int64_t recent = absl::ToUnixMicros(recent_start);
  const int64_t baseline = absl::ToUnixMicros(baseline_start);
  for (const pqxx::row& row : tx.exec_params(
           "SELECT target, count(*) FILTER (WHERE update_time >= " +
               TimeParam(2) + "), count(*) FILTER (WHERE update_time < " +
               TimeParam(2) +
               ") FROM votes WHERE tenant = $1 AND status = 1"
               " AND ($4 = '' OR target = $4) AND update_time >= " +
               TimeParam(3) + " GROUP BY 1",
           tenant, recent, baseline, only_post)) {
    formulas::TrendingActivity& post = activity[row[0].as<std::string>()];
    post.recent.votes = row[1].as<int64_t>();
    post.baseline.votes = row[2].as<int64_t>();
  }
  for (const pqxx::row& row : tx.exec_params(
           "SELECT in_reply_to, count(*) FILTER (WHERE first_publish_time >= " +
               TimeParam(2) +
               "), count(*) FILTER (WHERE first_publish_time < " +
               TimeParam(2) +
               ") FROM posts WHERE tenant = $1 AND published"
               " AND in_reply_to <> '' AND kind IN (2, 4)"
               " AND ($4 = '' OR in_reply_to = $4)"
               " AND first_publish_time >= " +
               TimeParam(3) + " GROUP BY 1",
           tenant, recent, baseline, only_post)) {
    formulas::TrendingActivity& post = activity[row[0].as<std::string>()];
    post.recent.comments = row[1].as<int64_t>();
    post.baseline.comments = row[2].as<int64_t>();
  }
  // Clicks are counted per day: a day that began within the recent window
  // counts as recent (an approximation of a few hours at most).
  for (const pqxx::row& row : tx.exec_params(
           "SELECT post, coalesce(sum(clicks) FILTER (WHERE day >= (" +
               TimeParam(2) +
               " AT TIME ZONE $4)::date), 0)::bigint,"
               " coalesce(sum(clicks) FILTER (WHERE day < (" +
               TimeParam(2) +
               " AT TIME ZONE $4)::date), 0)::bigint"
               " FROM post_shares WHERE tenant = $1"
               " AND ($5 = '' OR post = $5) AND day >= (" +
               TimeParam(3) + " AT TIME ZONE $4)::date GROUP BY 1",
           tenant, recent, baseline, time_zone, only_post)) {
    formulas::TrendingActivity& post = activity[row[0].as<std::string>()];
    post.recent.visitors = row[1].as<int64_t>();
    post.baseline.visitors = row[2].as<int64_t>();
  }
  return activity;
}

std::vector<ContributionRow> ReadContributions(pqxx::transaction_base& tx,
                                               const std::string& tenant,
                                               const std::string& only_member) {
  std::vector<ContributionRow> rows;
  for (const pqxx::row& row : tx.exec_params(
           "SELECT member, day::text, contribution, count"
           " FROM member_contributions WHERE tenant = $1 AND count > 0"
           " AND ($2 = '' OR member = $2)",
           tenant, only_member)) {
    const std::string day = row[1].as<std::string>();
    rows.push_back({row[0].as<std::string>(),
                    absl::CivilDay(std::stoi(day.substr(0, 4)),
                                   std::stoi(day.substr(5, 2)),
                                   std::stoi(day.substr(8, 2))),
                    row[2].as<int>(), row[3].as<int64_t>()});
  }
  return rows;
}

absl::StatusOr<PeriodicBoardStats> RefreshPeriodicBoards(
    RankingContext& context, const std::string& tenant) {
  absl::StatusOr<int64_t> generation = context.boards.Generation(tenant);
  if (!generation.ok()) return generation.status();
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(tenant);
  if (!settings.ok()) return settings.status();
  const formulas::FormulaParameters parameters =
      context.settings.FormulaParameters(tenant);
  const absl::TimeZone zone = context.settings.TimeZone(tenant);
  const absl::Time now = context.now();
  const absl::Time recent_start = now - parameters.trending_recent_window;
  const absl::Time baseline_start = now - parameters.trending_baseline_window;
  const absl::CivilDay today = absl::ToCivilDay(now, zone);

  std::map<std::string, formulas::TrendingActivity> activity;
  std::map<std::string, PostInfo> posts;
  // member -> day -> weighted points
  std::map<std::string, std::map<absl::CivilDay, double>> active_days;
  std::map<std::string, double> active_all_time;
  std::map<int, double> weights;
  for (const formulas::ContributionWeight& weight :
       parameters.contribution_weights) {
    weights[static_cast<int>(weight.contribution)] = weight.weight;
  }
  absl::Status read = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        activity.clear();
        posts.clear();
        active_days.clear();
        active_all_time.clear();
        activity = ReadTrendingActivity(tx, tenant, "", recent_start,
                                        baseline_start, zone.name());
        std::vector<std::pair<std::string, std::string>> keys;
        for (const auto& [post, counts] : activity)
          keys.emplace_back(tenant, post);
        for (auto& [key, post] : LoadPosts(tx, keys)) posts[key.second] = post;

        for (const ContributionRow& row : ReadContributions(tx, tenant, "")) {
          const auto weight = weights.find(row.contribution);
          if (weight == weights.end() || weight->second == 0) continue;
          const double points = weight->second * row.count;
          active_all_time[row.member] += points;
          if (row.day > today - kBucketDays) {
            active_days[row.member][row.day] += points;
          }
        }
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!read.ok()) return read;

  const RankingKeys names(context.keys, tenant);
  PeriodicBoardStats stats;
  // Trending, in every scope of each post on the board.
  std::map<std::string, std::map<std::string, double>> trending;
  for (const auto& [id, counts] : activity) {
    auto post = posts.find(id);
    if (post == posts.end() || !IsRanked(post->second)) continue;
    const std::optional<double> score =
        formulas::TrendingScore(counts, parameters);
    if (!score.has_value()) continue;
    for (const Scope& scope : ScopesOf(post->second)) {
      trending[names.Board(*generation, v1::BOARD_TRENDING, scope)][id] =
          *score;
    }
  }
  std::vector<redis::Command> commands;
  for (const auto& [key, entries] : trending) {
    AppendSwap(key, entries, commands);
  }
  // Boards that had posts last time and have none now are emptied.
  const std::string registry = names.TrendingKeys(*generation);
  absl::StatusOr<redis::Reply> known =
      context.redis.Run({"SMEMBERS", registry});
  if (!known.ok()) return known.status();
  for (const redis::Reply& key : known->elements) {
    if (!trending.contains(key.text)) commands.push_back({"DEL", key.text});
  }
  commands.push_back({"DEL", registry});
  if (!trending.empty()) {
    redis::Command add = {"SADD", registry};
    for (const auto& [key, entries] : trending) add.push_back(key);
    commands.push_back(std::move(add));
    commands.push_back({"EXPIRE", registry, "86400"});
  }
  stats.trending_posts = static_cast<int64_t>(
      trending[names.Board(*generation, v1::BOARD_TRENDING, Scope{})].size());

  // Most active members: all time and one bucket per day, tenant scope.
  const Scope tenant_scope;
  std::map<std::string, double> all_time;
  for (const auto& [member, points] : active_all_time) {
    if (points > 0) all_time[member] = points;
  }
  AppendSwap(
      names.Board(*generation, v1::BOARD_MOST_ACTIVE_MEMBERS, tenant_scope),
      all_time, commands);
  for (int back = 0; back < kBucketDays; ++back) {
    const absl::CivilDay day = today - back;
    std::map<std::string, double> entries;
    for (const auto& [member, days] : active_days) {
      auto it = days.find(day);
      if (it != days.end() && it->second > 0) entries[member] = it->second;
    }
    const std::string key = names.DayBucket(
        *generation, v1::BOARD_MOST_ACTIVE_MEMBERS, tenant_scope, day);
    AppendSwap(key, entries, commands);
    if (!entries.empty()) {
      commands.push_back({"EXPIREAT", key, absl::StrCat(BucketExpiry(day))});
    }
  }
  stats.active_members = static_cast<int64_t>(all_time.size());
  if (absl::Status written = RunCommands(context, commands); !written.ok()) {
    return written;
  }
  return stats;
}

absl::Status RefreshAllPeriodicBoards(RankingContext& context) {
  std::vector<std::string> tenants;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tenants = TenantsWithPosts(tx);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  for (const std::string& tenant : tenants) {
    // One replica per tenant and minute.
    const std::string lock =
        RankingKeys(context.keys, tenant).Generation() + ":periodic";
    absl::StatusOr<redis::Reply> won =
        context.redis.Run({"SET", lock, "1", "NX", "PX", "50000"});
    if (!won.ok()) return won.status();
    if (won->is_nil()) continue;
    absl::StatusOr<PeriodicBoardStats> stats =
        RefreshPeriodicBoards(context, tenant);
    if (!stats.ok() && !absl::IsNotFound(stats.status())) return stats.status();
  }
  return absl::OkStatus();
}

}  // namespace agora::ranking
