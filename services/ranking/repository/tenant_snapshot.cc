#include "services/ranking/repository/tenant_snapshot.h"

#include <map>
#include <pqxx/pqxx>

#include "libs/pg/transaction.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

absl::CivilDay ParseDay(const std::string& text) {
  return absl::CivilDay(std::stoi(text.substr(0, 4)),
                        std::stoi(text.substr(5, 2)),
                        std::stoi(text.substr(8, 2)));
}

StoredVote GroupVote(const pqxx::row& row) {
  StoredVote vote;
  vote.axis = static_cast<VoteAxis>(row[1].as<int>());
  vote.choice = static_cast<VoteChoice>(row[2].as<int>());
  vote.stars = row[3].as<int>();
  vote.status = static_cast<v1::Vote::Status>(row[4].as<int>());
  vote.verified_customer = row[5].as<bool>();
  return vote;
}

}  // namespace

absl::StatusOr<TenantState> ReadTenantState(pg::ConnectionPool& pool,
                                            const std::string& tenant,
                                            const v1::VoteSettings& settings,
                                            const std::string& time_zone,
                                            absl::Time now) {
  TenantState state;
  const int64_t since =
      absl::ToUnixMicros(now - absl::Hours(24 * (kBucketDays + 1)));
  absl::Status status = pg::RunTransaction(
      pool,
      [&](pqxx::transaction_base& tx) {
        state = TenantState{};
        std::vector<std::pair<std::string, std::string>> keys;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT id FROM posts WHERE tenant = $1 AND published",
                 tenant)) {
          keys.emplace_back(tenant, row[0].as<std::string>());
        }
        std::map<std::string, size_t> index;
        for (auto& [key, post] : LoadPosts(tx, keys)) {
          ExpectedPost expected;
          expected.view.kind = post.kind;
          expected.view.mode = EffectiveMode(post, settings);
          expected.view.helpfulness = HelpfulnessEnabled(post, settings);
          expected.post = std::move(post);
          index[expected.post.id] = state.posts.size();
          state.posts.push_back(std::move(expected));
        }
        auto post_of = [&](const std::string& id) -> ExpectedPost* {
          auto it = index.find(id);
          return it == index.end() ? nullptr : &state.posts[it->second];
        };
        std::map<std::string, TallyFields> fields;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT target, axis, choice, stars, status,"
                 " verified_customer, count(*) FROM votes WHERE tenant = $1"
                 " GROUP BY 1, 2, 3, 4, 5, 6",
                 tenant)) {
          const int64_t count = row[6].as<int64_t>();
          state.votes_scanned += count;
          ExpectedPost* post = post_of(row[0].as<std::string>());
          if (post == nullptr) continue;
          AddVote(GroupVote(row), post->view.mode, static_cast<int>(count),
                  fields[post->post.id]);
        }
        std::map<std::pair<std::string, absl::CivilDay>, TallyFields> days;
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT target, axis, choice, stars, status,"
                 " verified_customer, count(*),"
                 " (update_time AT TIME ZONE $2)::date::text FROM votes"
                 " WHERE tenant = $1 AND update_time >= timestamptz 'epoch' +"
                 " $3::bigint * interval '1 microsecond'"
                 " GROUP BY 1, 2, 3, 4, 5, 6, 8",
                 tenant, time_zone, since)) {
          ExpectedPost* post = post_of(row[0].as<std::string>());
          if (post == nullptr) continue;
          AddVote(GroupVote(row), post->view.mode,
                  static_cast<int>(row[6].as<int64_t>()),
                  days[{post->post.id, ParseDay(row[7].as<std::string>())}]);
        }
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT in_reply_to, count(*),"
                 " (first_publish_time AT TIME ZONE $2)::date::text"
                 " FROM posts WHERE tenant = $1 AND published"
                 " AND kind IN (2, 4) AND in_reply_to <> '' GROUP BY 1, 3",
                 tenant, time_zone)) {
          ExpectedPost* post = post_of(row[0].as<std::string>());
          if (post == nullptr) continue;
          const int64_t count = row[1].as<int64_t>();
          post->view.counts.comments += count;
          const absl::CivilDay day = ParseDay(row[2].as<std::string>());
          if (absl::FromCivil(day + 1, absl::UTCTimeZone()) >
              absl::FromUnixMicros(since)) {
            post->days[day].comments += count;
          }
        }
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT post, day::text, shares + clicks FROM post_shares"
                 " WHERE tenant = $1",
                 tenant)) {
          ExpectedPost* post = post_of(row[0].as<std::string>());
          if (post == nullptr) continue;
          const int64_t count = row[2].as<int64_t>();
          post->view.counts.shares += count;
          post->days[ParseDay(row[1].as<std::string>())].shares += count;
        }
        for (ExpectedPost& post : state.posts) {
          const int64_t comments = post.view.counts.comments;
          const int64_t shares = post.view.counts.shares;
          post.view.counts = CountsFromFields(fields[post.post.id]);
          post.view.counts.comments = comments;
          post.view.counts.shares = shares;
        }
        for (const auto& [key, day_fields] : days) {
          ExpectedPost* post = post_of(key.first);
          post->days[key.second].net =
              NetScore(CountsFromFields(day_fields).all, post->view.mode);
        }
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!status.ok()) return status;
  return state;
}

}  // namespace agora::ranking
