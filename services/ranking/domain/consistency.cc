#include "services/ranking/domain/consistency.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/post_repair.h"
#include "services/ranking/domain/rebuild.h"
#include "services/ranking/repository/tenant_snapshot.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;
using Kind = v1::ConsistencyDifference;

// What a generation should hold: sorted sets (key -> member -> score) and
// tallies (post -> fields), derived from the rebuild's own commands so the
// check and the rebuild cannot disagree on key names or scores.
struct Expected {
  std::map<std::string, std::map<std::string, double>> boards;
  std::map<std::string, TallyFields> tallies;  // by tally key
  std::map<std::string, std::string> post_of_tally;
};

bool IsDayBucketTooOld(const std::string& key, absl::CivilDay today) {
  const size_t colon = key.rfind(":d");
  if (colon == std::string::npos || key.size() != colon + 10) return false;
  int year = 0, month = 0, day = 0;
  if (!absl::SimpleAtoi(key.substr(colon + 2, 4), &year) ||
      !absl::SimpleAtoi(key.substr(colon + 6, 2), &month) ||
      !absl::SimpleAtoi(key.substr(colon + 8, 2), &day)) {
    return false;
  }
  return absl::CivilDay(year, month, day) <= today - kBucketDays;
}

Expected ExpectedOf(BoardWriter& boards, int64_t generation,
                    const TenantState& state, absl::CivilDay today) {
  Expected expected;
  std::vector<redis::Command> commands;
  for (const ExpectedPost& post : state.posts) {
    commands.clear();
    boards.AppendPostCommands(generation, post.post, post.view, post.days,
                              commands);
    for (const redis::Command& command : commands) {
      if (command[0] == "ZADD" && !IsDayBucketTooOld(command[1], today)) {
        double score = 0;
        (void)absl::SimpleAtod(command[2], &score);
        expected.boards[command[1]][command[3]] = score;
      } else if (command[0] == "HSET" && command.size() > 4 &&
                 absl::StrContains(command[1], ":tally:")) {
        TallyFields fields;
        for (size_t i = 2; i + 1 < command.size(); i += 2) {
          int64_t value = 0;
          (void)absl::SimpleAtoi(command[i + 1], &value);
          if (command[i] != "ver") fields[command[i]] = value;
        }
        expected.tallies[command[1]] = fields;
        expected.post_of_tally[command[1]] = post.post.id;
      }
    }
  }
  return expected;
}

}  // namespace

absl::StatusOr<v1::ConsistencyReport> CheckConsistency(
    RankingContext& context, const auth::Principal& caller,
    const v1::CheckConsistencyRequest& request) {
  const absl::Time started = absl::Now();
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireRankingAdmin(caller, *tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (!v1::Board_IsValid(request.board())) {
    return absl::InvalidArgumentError("board: unknown value");
  }
  if (request.sample_size() < 0 || request.sample_size() > 100000) {
    return absl::InvalidArgumentError("sample_size: must be 0-100000");
  }
  if (request.max_differences() < 0 || request.max_differences() > 1000) {
    return absl::InvalidArgumentError("max_differences: must be 0-1000");
  }
  const int max_differences =
      request.max_differences() == 0 ? 100 : request.max_differences();
  absl::StatusOr<int64_t> generation = context.boards.Generation(*tenant);
  if (absl::IsNotFound(generation.status())) {
    v1::ConsistencyReport report;
    report.set_difference_count(1);
    Kind* missing = report.add_differences();
    missing->set_kind(Kind::KIND_KEY_MISSING);
    missing->set_key(RankingKeys(context.keys, *tenant).Generation());
    if (request.repair()) {
      context.request_rebuild(*tenant);
      report.set_repaired(true);
    }
    return report;
  }
  if (!generation.ok()) return generation.status();
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(*tenant);
  if (!settings.ok()) return settings.status();
  const absl::TimeZone zone = context.settings.TimeZone(*tenant);
  const absl::CivilDay today = absl::ToCivilDay(context.now(), zone);
  absl::StatusOr<TenantState> state = ReadTenantState(
      context.pool, *tenant, *settings, zone.name(), context.now());
  if (!state.ok()) return state.status();
  const Expected expected =
      ExpectedOf(context.boards, *generation, *state, today);

  // Which keys to look at: every expected key, plus every board key Redis
  // has in the generation (to find entries of posts that left).
  const RankingKeys names(context.keys, *tenant);
  std::set<std::string> board_keys, tally_keys;
  for (const auto& [key, entries] : expected.boards) board_keys.insert(key);
  for (const auto& [key, fields] : expected.tallies) tally_keys.insert(key);
  std::string cursor = "0";
  do {
    absl::StatusOr<redis::Reply> page = context.redis.Run(
        {"SCAN", cursor, "MATCH", names.GenerationPattern(*generation), "COUNT",
         "1000"});
    if (!page.ok()) return page.status();
    cursor = page->elements[0].text;
    for (const redis::Reply& key : page->elements[1].elements) {
      const std::string& name = key.text;
      if (absl::StrContains(name, ":tally:")) {
        tally_keys.insert(name);
      } else if (absl::StrContains(name, ":b:") &&
                 // Trending and activity boards are recomputed whole each
                 // minute from their own sources, not from tallies.
                 !absl::StrContains(name, ":b:trending:") &&
                 !absl::StrContains(name, ":b:active:") &&
                 !absl::StrContains(name, ":w7.") &&
                 !absl::StrContains(name, ":w30.") &&
                 !IsDayBucketTooOld(name, today)) {
        board_keys.insert(name);
      }
    }
  } while (cursor != "0");
  if (request.board() != v1::BOARD_UNSPECIFIED) {
    const std::string part =
        absl::StrCat(":b:", BoardName(request.board()), ":");
    std::erase_if(board_keys, [&](const std::string& key) {
      return !absl::StrContains(key, part);
    });
    tally_keys.clear();
  }
  std::vector<std::string> boards_to_check(board_keys.begin(),
                                           board_keys.end());
  std::vector<std::string> tallies_to_check(tally_keys.begin(),
                                            tally_keys.end());
  if (request.sample_size() > 0) {
    std::mt19937_64 random(std::random_device{}());
    std::shuffle(boards_to_check.begin(), boards_to_check.end(), random);
    std::shuffle(tallies_to_check.begin(), tallies_to_check.end(), random);
    if (static_cast<int>(boards_to_check.size()) > request.sample_size()) {
      boards_to_check.resize(request.sample_size());
    }
    if (static_cast<int>(tallies_to_check.size()) > request.sample_size()) {
      tallies_to_check.resize(request.sample_size());
    }
  }

  v1::ConsistencyReport report;
  std::set<std::string> posts_to_repair;
  std::vector<std::pair<std::string, std::string>> extras;  // key, member
  auto add = [&](Kind::Kind kind, const std::string& key,
                 const std::string& subject, double actual, double wanted) {
    report.set_difference_count(report.difference_count() + 1);
    if (report.differences_size() < max_differences) {
      Kind* difference = report.add_differences();
      difference->set_kind(kind);
      difference->set_key(key);
      difference->set_subject(
          subject.empty() ? "" : PostResourceName(*tenant, subject));
      difference->set_redis_value(actual);
      difference->set_expected_value(wanted);
    }
  };

  for (const std::string& key : boards_to_check) {
    absl::StatusOr<redis::Reply> reply =
        context.redis.Run({"ZRANGE", key, "0", "-1", "WITHSCORES"});
    if (!reply.ok()) return reply.status();
    report.set_boards_checked(report.boards_checked() + 1);
    std::map<std::string, double> actual;
    for (size_t i = 0; i + 1 < reply->elements.size(); i += 2) {
      actual[reply->elements[i].text] =
          reply->elements[i + 1].AsDouble().value_or(0);
    }
    static const std::map<std::string, double> kNone;
    auto wanted_it = expected.boards.find(key);
    const std::map<std::string, double>& wanted =
        wanted_it == expected.boards.end() ? kNone : wanted_it->second;
    if (actual.empty() && !wanted.empty()) {
      add(Kind::KIND_KEY_MISSING, key, "", 0, 0);
      for (const auto& [post, score] : wanted) posts_to_repair.insert(post);
      continue;
    }
    for (const auto& [post, score] : wanted) {
      report.set_entries_checked(report.entries_checked() + 1);
      auto it = actual.find(post);
      if (it == actual.end()) {
        add(Kind::KIND_ENTRY_MISSING, key, post, 0, score);
        posts_to_repair.insert(post);
      } else if (std::abs(it->second - score) >
                 1e-9 * std::max(1.0, std::abs(score))) {
        add(Kind::KIND_SCORE_MISMATCH, key, post, it->second, score);
        posts_to_repair.insert(post);
      }
    }
    for (const auto& [post, score] : actual) {
      if (!wanted.contains(post)) {
        report.set_entries_checked(report.entries_checked() + 1);
        add(Kind::KIND_ENTRY_EXTRA, key, post, score, 0);
        extras.emplace_back(key, post);
      }
    }
  }
  for (const std::string& key : tallies_to_check) {
    absl::StatusOr<redis::Reply> reply = context.redis.Run({"HGETALL", key});
    if (!reply.ok()) return reply.status();
    report.set_tallies_checked(report.tallies_checked() + 1);
    TallyFields actual = ParseTallyHash(*reply);
    actual.erase("ver");
    auto wanted_it = expected.tallies.find(key);
    const std::string post = key.substr(key.rfind(':') + 1);
    if (wanted_it == expected.tallies.end()) {
      // A tally of a post that is unpublished or unknown.
      add(Kind::KIND_ENTRY_EXTRA, key, post, 0, 0);
      posts_to_repair.insert(post);
      continue;
    }
    if (actual.empty()) {
      add(Kind::KIND_KEY_MISSING, key, post, 0, 0);
      posts_to_repair.insert(post);
      continue;
    }
    for (const auto& [field, value] : wanted_it->second) {
      const int64_t have = actual.contains(field) ? actual[field] : 0;
      if (have != value) {
        add(Kind::KIND_TALLY_MISMATCH, key, post, static_cast<double>(have),
            static_cast<double>(value));
        posts_to_repair.insert(post);
        break;
      }
    }
  }

  if (request.repair() && report.difference_count() > 0) {
    for (const auto& [key, post] : extras) {
      (void)context.redis.Run({"ZREM", key, post});
    }
    for (const std::string& post : posts_to_repair) {
      absl::StatusOr<std::optional<TallyView>> repaired =
          RepairPost(context, *tenant, post);
      if (!repaired.ok()) return repaired.status();
    }
    report.set_repaired(true);
  }
  absl::Status pending =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        report.set_pending_repairs(
            tx.exec_params1(
                  "SELECT count(*) FROM pending_repairs WHERE tenant = $1",
                  *tenant)[0]
                .as<int64_t>());
        return absl::OkStatus();
      });
  if (!pending.ok()) return pending;
  *report.mutable_duration() = TimeUtil::MicrosecondsToDuration(
      absl::ToInt64Microseconds(absl::Now() - started));
  *report.mutable_compute_time() =
      TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(context.now()));
  return report;
}

}  // namespace agora::ranking
