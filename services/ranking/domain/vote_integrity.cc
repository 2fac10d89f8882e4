#include "services/ranking/domain/vote_integrity.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/roles.h"
#include "libs/events/typed_event.h"
#include "libs/pg/arrays.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/settings_store.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

std::string IdOf(const std::string& name,
                 std::initializer_list<absl::string_view> collections) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName("name", name, collections);
  return parts.ok() ? parts->back() : "";
}

absl::Duration DurationOf(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) +
         absl::Nanoseconds(duration.nanos());
}

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

std::string TimeParam(int n) {
  return absl::StrCat("(timestamptz 'epoch' + $", n,
                      "::bigint * interval '1 microsecond')");
}

}  // namespace

absl::Status DetectSerialVoting(RankingContext& context,
                                pqxx::transaction_base& tx,
                                const events::v1::Event& event) {
  std::string voter_name, author_name;
  if (event.has_vote_cast()) {
    if (event.vote_cast().weight() == 0 ||
        event.vote_cast().axis() != common::v1::VOTE_AXIS_PRIMARY) {
      return absl::OkStatus();
    }
    voter_name = event.vote_cast().voter();
    author_name = event.vote_cast().target_author();
  } else if (event.has_vote_changed()) {
    if (event.vote_changed().weight() == 0 ||
        event.vote_changed().axis() != common::v1::VOTE_AXIS_PRIMARY) {
      return absl::OkStatus();
    }
    voter_name = event.vote_changed().voter();
    author_name = event.vote_changed().target_author();
  } else {
    return absl::OkStatus();
  }
  absl::StatusOr<std::string> tenant =
      ParseTenantName("tenant", event.tenant());
  if (!tenant.ok()) return tenant.status();
  const std::string voter = IdOf(voter_name, {"tenants", "members"});
  const std::string author = IdOf(author_name, {"tenants", "members"});
  if (voter.empty() || author.empty()) return absl::OkStatus();
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(*tenant);
  if (!settings.ok()) return settings.status();
  const int threshold = settings->serial_voting_threshold() > 0
                            ? settings->serial_voting_threshold()
                            : 10;
  const absl::Duration window =
      settings->has_serial_voting_window()
          ? DurationOf(settings->serial_voting_window())
          : absl::Hours(1);
  const absl::Time occurred = absl::FromUnixMicros(
      TimeUtil::TimestampToMicroseconds(event.occur_time()));
  const int64_t since = absl::ToUnixMicros(occurred - window);

  // No row lock here: this runs for every vote, and locking the voter's
  // recent votes would stall the vote writer behind the detector. Two
  // detections of one burst at once reverse the same rows twice, which
  // changes nothing the second time.
  const pqxx::result burst = tx.exec_params(
      "SELECT target, (extract(epoch FROM update_time) * 1000000)::bigint"
      " FROM votes WHERE tenant = $1 AND voter = $2 AND target_author = $3"
      " AND axis = 1 AND status = 1 AND update_time >= " +
          TimeParam(4) + " ORDER BY update_time",
      *tenant, voter, author, since);
  if (static_cast<int>(burst.size()) < threshold) return absl::OkStatus();

  std::vector<std::string> candidates;
  for (const pqxx::row& row : burst) {
    candidates.push_back(row[0].as<std::string>());
  }
  const absl::Time first = absl::FromUnixMicros(burst.front()[1].as<int64_t>());
  const absl::Time last = absl::FromUnixMicros(burst.back()[1].as<int64_t>());
  // Only the rows this transaction turns from counted to reversed: a
  // detection of the same burst running at once finds none left.
  const pqxx::result reversed_rows = tx.exec_params(
      "UPDATE votes SET status = 3, weight = 0 WHERE tenant = $1 AND voter = $2"
      " AND axis = 1 AND status = 1 AND target = ANY($3::text[])"
      " RETURNING target",
      *tenant, voter, pg::ToTextArray(candidates));
  if (reversed_rows.empty()) return absl::OkStatus();
  std::vector<std::string> targets;
  for (const pqxx::row& row : reversed_rows) {
    targets.push_back(row[0].as<std::string>());
  }
  tx.exec_params(
      "INSERT INTO serial_voting_cases (tenant, id, voter, author, vote_count,"
      " start_time, end_time, reversed, create_time) VALUES ($1,"
      " gen_random_uuid(), $2, $3, $4, " +
          TimeParam(5) + ", " + TimeParam(6) + ", true, " + TimeParam(7) + ")",
      *tenant, voter, author, static_cast<int>(targets.size()),
      absl::ToUnixMicros(first), absl::ToUnixMicros(last),
      absl::ToUnixMicros(context.now()));
  MarkPendingRepair(tx, *tenant, targets);

  common::v1::Actor system;
  system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
  events::v1::Event reversed = events::NewEvent(
      events::v1::PRODUCER_RANKING, *tenant, system, voter_name, context.now());
  events::v1::VotesReversed* payload = reversed.mutable_votes_reversed();
  payload->set_voter(voter_name);
  payload->set_author(author_name);
  payload->set_vote_count(static_cast<int32_t>(targets.size()));
  for (size_t i = 0; i < targets.size() && i < 1000; ++i) {
    payload->add_targets(PostResourceName(*tenant, targets[i]));
  }
  *payload->mutable_time_range()->mutable_start_time() = ToTimestamp(first);
  *payload->mutable_time_range()->mutable_end_time() = ToTimestamp(last);
  absl::StatusOr<events::EventRecord> record = events::ToRecord(reversed);
  if (!record.ok()) return record.status();
  return context.outbox.Append(tx, *record);
}

absl::StatusOr<int64_t> ReleaseHeldVotes(RankingContext& context) {
  std::vector<std::string> tenants;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tenants.clear();
        for (const pqxx::row& row :
             tx.exec("SELECT DISTINCT tenant FROM votes WHERE status = 2")) {
          tenants.push_back(row[0].as<std::string>());
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  int64_t released = 0;
  for (const std::string& tenant : tenants) {
    absl::StatusOr<v1::VoteSettings> settings =
        context.settings.VoteSettings(tenant);
    if (!settings.ok()) return settings.status();
    const int64_t old_enough = absl::ToUnixMicros(
        context.now() - DurationOf(settings->min_account_age()));
    absl::Status status =
        pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
          const pqxx::result rows = tx.exec_params(
              "UPDATE votes SET status = 1, weight = 1,"
              " verified_customer = m.verified_customer FROM members m"
              " WHERE votes.tenant = $1 AND votes.status = 2"
              " AND m.tenant = votes.tenant AND m.id = votes.voter"
              " AND NOT m.erased AND (m.register_time <= " +
                  TimeParam(2) +
                  " OR (m.verified_customer AND $3))"
                  " RETURNING votes.target, votes.voter, votes.axis,"
                  " votes.choice, votes.stars, votes.target_author,"
                  " (SELECT kind FROM posts p WHERE p.tenant = votes.tenant"
                  " AND p.id = votes.target)",
              tenant, old_enough, settings->verified_customers_skip_age_hold());
          std::vector<std::string> targets;
          std::vector<events::EventRecord> records;
          common::v1::Actor system;
          system.set_type(common::v1::ACTOR_TYPE_SYSTEM);
          for (const pqxx::row& row : rows) {
            targets.push_back(row[0].as<std::string>());
            // The vote now counts: announced as a change from weight 0 to
            // 1, so reputation gives its author the points it held back.
            events::v1::Event event = events::NewEvent(
                events::v1::PRODUCER_RANKING, tenant, system,
                PostResourceName(tenant, targets.back()), context.now());
            events::v1::VoteChanged* changed = event.mutable_vote_changed();
            changed->mutable_target()->set_kind(static_cast<ContentKind>(
                row[6].is_null() ? 0 : row[6].as<int>()));
            changed->mutable_target()->set_name(
                PostResourceName(tenant, targets.back()));
            const std::string author = row[5].as<std::string>();
            if (!author.empty()) {
              changed->set_target_author(MemberResourceName(tenant, author));
            }
            changed->set_voter(
                MemberResourceName(tenant, row[1].as<std::string>()));
            changed->set_axis(static_cast<VoteAxis>(row[2].as<int>()));
            changed->set_previous_choice(
                static_cast<VoteChoice>(row[3].as<int>()));
            changed->set_previous_stars(row[4].as<int>());
            changed->set_choice(static_cast<VoteChoice>(row[3].as<int>()));
            changed->set_stars(row[4].as<int>());
            changed->set_weight(1.0);
            absl::StatusOr<events::EventRecord> record =
                events::ToRecord(event);
            if (!record.ok()) return record.status();
            records.push_back(*std::move(record));
          }
          if (!targets.empty()) MarkPendingRepair(tx, tenant, targets);
          if (absl::Status appended = context.outbox.AppendAll(tx, records);
              !appended.ok()) {
            return appended;
          }
          released += static_cast<int64_t>(rows.size());
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
  }
  return released;
}

absl::StatusOr<v1::VoteIntegrityReport> GetVoteIntegrityReport(
    RankingContext& context, const auth::Principal& caller,
    const v1::GetVoteIntegrityReportRequest& request) {
  absl::StatusOr<std::vector<std::string>> name =
      ParseName("name", request.name(), {"tenants"}, "voteIntegrityReport");
  if (!name.ok()) return name.status();
  const std::string& tenant = (*name)[0];
  if (absl::Status in_tenant = auth::RequireTenant(caller, tenant);
      !in_tenant.ok()) {
    return status::WithReason(in_tenant, "TENANT_MISMATCH");
  }
  if (absl::Status role = auth::RequireRole(
          caller, {auth::kRoleModerator, auth::kRoleTenantAdmin,
                   auth::kRolePlatformAdmin});
      !role.ok()) {
    return status::WithReason(role, "ROLE_REQUIRED");
  }
  const absl::Time now = context.now();
  const absl::Time end =
      request.window().has_end_time()
          ? absl::FromUnixMicros(
                TimeUtil::TimestampToMicroseconds(request.window().end_time()))
          : now;
  const absl::Time start =
      request.window().has_start_time()
          ? absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(
                request.window().start_time()))
          : end - absl::Hours(24 * 30);
  if (start >= end || end - start > absl::Hours(24 * 90)) {
    return absl::InvalidArgumentError(
        "window: start before end, at most 90 days");
  }
  if (request.max_items() < 0 || request.max_items() > 100) {
    return absl::InvalidArgumentError("max_items: must be 0-100");
  }
  const int max_items = request.max_items() == 0 ? 20 : request.max_items();
  v1::VoteIntegrityReport report;
  report.set_name(request.name());
  *report.mutable_window()->mutable_start_time() = ToTimestamp(start);
  *report.mutable_window()->mutable_end_time() = ToTimestamp(end);
  const int64_t from = absl::ToUnixMicros(start);
  // An unset end means "now", votes of this very instant included.
  const int64_t to =
      absl::ToUnixMicros(end) + (request.window().has_end_time() ? 0 : 1);
  absl::Status status = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        report.clear_serial_voting_cases();
        report.clear_voting_ring_pairs();
        const pqxx::row figures = tx.exec_params1(
            "SELECT count(*), count(*) FILTER (WHERE status = 2),"
            " count(*) FILTER (WHERE status = 3),"
            " count(*) FILTER (WHERE verified_customer)"
            " FROM votes WHERE tenant = $1 AND create_time >= " +
                TimeParam(2) + " AND create_time < " + TimeParam(3),
            tenant, from, to);
        const int64_t cast = figures[0].as<int64_t>();
        report.set_votes_cast(cast);
        report.set_votes_held(figures[1].as<int64_t>());
        report.set_votes_reversed(figures[2].as<int64_t>());
        report.set_verified_customer_share(
            cast == 0 ? 0.0
                      : static_cast<double>(figures[3].as<int64_t>()) / cast);
        for (const pqxx::row& row : tx.exec_params(
                 "SELECT voter, author, vote_count,"
                 " (extract(epoch FROM start_time) * 1000000)::bigint,"
                 " (extract(epoch FROM end_time) * 1000000)::bigint, reversed"
                 " FROM serial_voting_cases WHERE tenant = $1"
                 " AND create_time >= " +
                     TimeParam(2) + " AND create_time < " + TimeParam(3) +
                     " ORDER BY vote_count DESC, create_time DESC LIMIT $4",
                 tenant, from, to, max_items)) {
          v1::SerialVotingCase* serial = report.add_serial_voting_cases();
          serial->set_voter(
              MemberResourceName(tenant, row[0].as<std::string>()));
          serial->set_author(
              MemberResourceName(tenant, row[1].as<std::string>()));
          serial->set_vote_count(row[2].as<int64_t>());
          *serial->mutable_time_range()->mutable_start_time() =
              TimeUtil::MicrosecondsToTimestamp(row[3].as<int64_t>());
          *serial->mutable_time_range()->mutable_end_time() =
              TimeUtil::MicrosecondsToTimestamp(row[4].as<int64_t>());
          serial->set_reversed(row[5].as<bool>());
        }
        // Mutual up votes against what chance gives members as active as
        // these two: A's up votes × B's share of all up votes received,
        // and the other way round.
        for (const pqxx::row& row : tx.exec_params(
                 "WITH up AS (SELECT voter, target_author AS author FROM votes"
                 " WHERE tenant = $1 AND axis = 1 AND choice IN (1, 3)"
                 " AND status <> 3 AND target_author <> ''"
                 " AND voter <> target_author AND create_time >= " +
                     TimeParam(2) + " AND create_time < " + TimeParam(3) +
                     "),"
                     " pairs AS (SELECT voter, author, count(*) AS n FROM up"
                     " GROUP BY 1, 2),"
                     " cast_by AS (SELECT voter, count(*) AS c FROM up"
                     " GROUP BY 1),"
                     " received AS (SELECT author, count(*) AS r FROM up"
                     " GROUP BY 1),"
                     " total AS (SELECT count(*) AS t FROM up)"
                     " SELECT a.voter, a.author, a.n, b.n,"
                     " (ca.c * rb.r + cb.c * ra.r)::float8 / t.t AS expected"
                     " FROM pairs a JOIN pairs b ON a.voter = b.author"
                     " AND a.author = b.voter AND a.voter < a.author"
                     " JOIN cast_by ca ON ca.voter = a.voter"
                     " JOIN received rb ON rb.author = a.author"
                     " JOIN cast_by cb ON cb.voter = b.voter"
                     " JOIN received ra ON ra.author = b.author"
                     " CROSS JOIN total t"
                     " WHERE (a.n + b.n) >= 10 * (ca.c * rb.r + cb.c * ra.r)"
                     "::float8 / t.t"
                     " ORDER BY (a.n + b.n) / ((ca.c * rb.r + cb.c * ra.r)"
                     "::float8 / t.t) DESC LIMIT $4",
                 tenant, from, to, max_items)) {
          v1::VotingRingPair* pair = report.add_voting_ring_pairs();
          pair->set_member_a(
              MemberResourceName(tenant, row[0].as<std::string>()));
          pair->set_member_b(
              MemberResourceName(tenant, row[1].as<std::string>()));
          pair->set_votes_a_to_b(row[2].as<int64_t>());
          pair->set_votes_b_to_a(row[3].as<int64_t>());
          pair->set_expected_votes(row[4].as<double>());
          pair->set_ratio(row[4].as<double>() > 0
                              ? (row[2].as<int64_t>() + row[3].as<int64_t>()) /
                                    row[4].as<double>()
                              : 0);
        }
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!status.ok()) return status;
  *report.mutable_compute_time() = ToTimestamp(now);
  return report;
}

}  // namespace agora::ranking
