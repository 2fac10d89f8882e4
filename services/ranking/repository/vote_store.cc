#include "services/ranking/repository/vote_store.h"

#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "libs/pg/arrays.h"

namespace agora::ranking {
namespace {

using Key = std::tuple<std::string, std::string, std::string, int>;

constexpr char kVoteColumns[] =
    "tenant, target, voter, axis, choice, stars, status, verified_customer,"
    " (extract(epoch FROM create_time) * 1000000)::bigint,"
    " (extract(epoch FROM update_time) * 1000000)::bigint";

Key KeyOf(const VoteWrite& write) {
  return {write.tenant, write.target, write.voter,
          static_cast<int>(write.axis)};
}

StoredVote VoteFromRow(const pqxx::row& row, int first) {
  StoredVote vote;
  vote.axis = static_cast<VoteAxis>(row[first].as<int>());
  vote.choice = static_cast<VoteChoice>(row[first + 1].as<int>());
  vote.stars = row[first + 2].as<int>();
  vote.status = static_cast<v1::Vote::Status>(row[first + 3].as<int>());
  vote.verified_customer = row[first + 4].as<bool>();
  vote.create_time = absl::FromUnixMicros(row[first + 5].as<int64_t>());
  vote.update_time = absl::FromUnixMicros(row[first + 6].as<int64_t>());
  return vote;
}

// The key columns of `writes` as text arrays, $1..$4 of a statement.
struct KeyArrays {
  std::string tenants, targets, voters, axes;
};
KeyArrays ArraysOf(const std::vector<const VoteWrite*>& writes) {
  std::vector<std::string> tenants, targets, voters, axes;
  for (const VoteWrite* write : writes) {
    tenants.push_back(write->tenant);
    targets.push_back(write->target);
    voters.push_back(write->voter);
    axes.push_back(absl::StrCat(static_cast<int>(write->axis)));
  }
  return {pg::ToTextArray(tenants), pg::ToTextArray(targets),
          pg::ToTextArray(voters), pg::ToTextArray(axes)};
}

// Locks and reads the existing votes among `writes`.
void LockExisting(pqxx::transaction_base& tx,
                  const std::vector<const VoteWrite*>& writes,
                  std::map<Key, StoredVote>& existing) {
  if (writes.empty()) return;
  const KeyArrays keys = ArraysOf(writes);
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT ") + kVoteColumns +
          " FROM votes WHERE (tenant, target, voter, axis) IN"
          " (SELECT t, p, v, a::smallint FROM unnest($1::text[], $2::text[],"
          " $3::text[], $4::text[]) AS k(t, p, v, a))"
          " ORDER BY tenant, target, voter, axis FOR UPDATE",
      keys.tenants, keys.targets, keys.voters, keys.axes);
  for (const pqxx::row& row : rows) {
    existing[{row[0].as<std::string>(), row[1].as<std::string>(),
              row[2].as<std::string>(), row[3].as<int>()}] =
        VoteFromRow(row, 3);
  }
}

// The cast columns of `writes`: $5 choices, $6 stars, $7 statuses, $8
// verified flags, $9 authors.
struct CastArrays {
  std::string choices, stars, statuses, verified, authors;
};
CastArrays CastArraysOf(const std::vector<const VoteWrite*>& writes) {
  std::vector<std::string> choices, stars, statuses, verified, authors;
  for (const VoteWrite* write : writes) {
    choices.push_back(absl::StrCat(static_cast<int>(write->choice)));
    stars.push_back(absl::StrCat(write->stars));
    statuses.push_back(absl::StrCat(static_cast<int>(write->status)));
    verified.push_back(write->verified_customer ? "t" : "f");
    authors.push_back(write->target_author);
  }
  return {pg::ToTextArray(choices), pg::ToTextArray(stars),
          pg::ToTextArray(statuses), pg::ToTextArray(verified),
          pg::ToTextArray(authors)};
}

constexpr char kCastInput[] =
    " unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],"
    " $6::text[], $7::text[], $8::text[], $9::text[])"
    " AS i(t, p, v, a, c, s, st, vc, au)";

}  // namespace

std::vector<VoteWriteResult> WriteVotes(pqxx::transaction_base& tx,
                                        const std::vector<VoteWrite>& writes,
                                        absl::Time now) {
  const int64_t now_micros = absl::ToUnixMicros(now);
  std::vector<const VoteWrite*> all;
  for (const VoteWrite& write : writes) all.push_back(&write);
  std::map<Key, StoredVote> existing;
  LockExisting(tx, all, existing);

  // New votes. One that another transaction inserted since our read is
  // not inserted here: it is locked and read, then updated like the rest.
  std::vector<const VoteWrite*> inserts;
  for (const VoteWrite* write : all) {
    if (!write->retract && !existing.contains(KeyOf(*write))) {
      inserts.push_back(write);
    }
  }
  std::map<Key, bool> inserted;
  if (!inserts.empty()) {
    const KeyArrays keys = ArraysOf(inserts);
    const CastArrays casts = CastArraysOf(inserts);
    const pqxx::result rows = tx.exec_params(
        std::string(
            "INSERT INTO votes (tenant, target, voter, axis, choice,"
            " stars, status, weight, verified_customer,"
            " target_author, create_time, update_time)"
            " SELECT t, p, v, a::smallint, c::smallint, s::smallint,"
            " st::smallint, CASE WHEN st = '1' THEN 1 ELSE 0 END,"
            " vc::boolean, au,"
            " (timestamptz 'epoch' + $10::bigint * interval '1 microsecond'),"
            " (timestamptz 'epoch' + $10::bigint * interval '1 microsecond') "
            "FROM") +
            kCastInput +
            " ORDER BY t, p, v, a ON CONFLICT DO NOTHING"
            " RETURNING tenant, target, voter, axis",
        keys.tenants, keys.targets, keys.voters, keys.axes, casts.choices,
        casts.stars, casts.statuses, casts.verified, casts.authors, now_micros);
    for (const pqxx::row& row : rows) {
      inserted[{row[0].as<std::string>(), row[1].as<std::string>(),
                row[2].as<std::string>(), row[3].as<int>()}] = true;
    }
    std::vector<const VoteWrite*> raced;
    for (const VoteWrite* write : inserts) {
      if (!inserted.contains(KeyOf(*write))) raced.push_back(write);
    }
    LockExisting(tx, raced, existing);
  }

  // Changed votes and retractions.
  std::vector<const VoteWrite*> updates, deletes;
  for (const VoteWrite* write : all) {
    auto old = existing.find(KeyOf(*write));
    if (old == existing.end()) continue;
    if (write->retract) {
      deletes.push_back(write);
    } else if (old->second.choice != write->choice ||
               old->second.stars != write->stars) {
      updates.push_back(write);
    }
  }
  if (!updates.empty()) {
    const KeyArrays keys = ArraysOf(updates);
    const CastArrays casts = CastArraysOf(updates);
    tx.exec_params(
        std::string("UPDATE votes SET choice = i.c::smallint,"
                    " stars = i.s::smallint, status = i.st::smallint,"
                    " weight = CASE WHEN i.st = '1' THEN 1 ELSE 0 END,"
                    " verified_customer = i.vc::boolean,"
                    " update_time = timestamptz 'epoch' +"
                    " $10::bigint * interval '1 microsecond' FROM") +
            kCastInput +
            " WHERE votes.tenant = i.t AND votes.target = i.p"
            " AND votes.voter = i.v AND votes.axis = i.a::smallint",
        keys.tenants, keys.targets, keys.voters, keys.axes, casts.choices,
        casts.stars, casts.statuses, casts.verified, casts.authors, now_micros);
  }
  if (!deletes.empty()) {
    const KeyArrays keys = ArraysOf(deletes);
    tx.exec_params(
        "DELETE FROM votes USING unnest($1::text[], $2::text[], $3::text[],"
        " $4::text[]) AS k(t, p, v, a) WHERE votes.tenant = k.t"
        " AND votes.target = k.p AND votes.voter = k.v"
        " AND votes.axis = k.a::smallint",
        keys.tenants, keys.targets, keys.voters, keys.axes);
  }

  std::vector<VoteWriteResult> results;
  for (const VoteWrite& write : writes) {
    VoteWriteResult result;
    auto old = existing.find(KeyOf(write));
    if (old != existing.end()) result.before = old->second;
    if (write.retract) {
      result.changed = result.before.has_value();
    } else {
      StoredVote after;
      after.axis = write.axis;
      after.choice = write.choice;
      after.stars = write.stars;
      after.status = write.status;
      after.verified_customer = write.verified_customer;
      after.create_time = result.before ? result.before->create_time : now;
      after.update_time = now;
      result.changed = !result.before ||
                       result.before->choice != write.choice ||
                       result.before->stars != write.stars;
      if (!result.changed) after = *result.before;
      result.after = after;
    }
    results.push_back(std::move(result));
  }
  return results;
}

std::vector<VoteRow> VotesOfVoterOn(pqxx::transaction_base& tx,
                                    const std::string& tenant,
                                    const std::string& voter,
                                    const std::vector<std::string>& posts) {
  std::vector<VoteRow> votes;
  if (posts.empty()) return votes;
  const pqxx::result rows =
      tx.exec_params(std::string("SELECT ") + kVoteColumns +
                         " FROM votes WHERE tenant = $1 AND voter = $2"
                         " AND target = ANY($3::text[])",
                     tenant, voter, pg::ToTextArray(posts));
  for (const pqxx::row& row : rows) {
    votes.push_back({row[1].as<std::string>(), row[2].as<std::string>(),
                     VoteFromRow(row, 3)});
  }
  return votes;
}

std::vector<VoteRow> ListVoteRows(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& target,
                                  const std::string& voter, int axis,
                                  const std::optional<VotePosition>& after,
                                  int limit) {
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT ") + kVoteColumns +
          " FROM votes WHERE tenant = $1"
          " AND ($2 = '' OR target = $2) AND ($3 = '' OR voter = $3)"
          " AND ($4 = 0 OR axis = $4)"
          " AND ($5 OR (update_time, target, voter, axis) <"
          " ((timestamptz 'epoch' + $6::bigint * interval '1 microsecond'), "
          "$7, $8, $9))"
          " ORDER BY update_time DESC, target DESC, voter DESC, axis DESC"
          " LIMIT $10",
      tenant, target, voter, axis, !after.has_value(),
      after ? after->update_micros : 0, after ? after->target : "",
      after ? after->voter : "", after ? after->axis : 0, limit);
  std::vector<VoteRow> votes;
  for (const pqxx::row& row : rows) {
    votes.push_back({row[1].as<std::string>(), row[2].as<std::string>(),
                     VoteFromRow(row, 3)});
  }
  return votes;
}

}  // namespace agora::ranking
