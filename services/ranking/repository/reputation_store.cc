#include "services/ranking/repository/reputation_store.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "libs/pg/arrays.h"

namespace agora::ranking {
namespace {

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

absl::CivilDay ParseDay(const pqxx::field& field) {
  absl::CivilDay day;
  (void)absl::ParseCivilTime(field.as<std::string>(), &day);
  return day;
}

int64_t Micros(absl::Time time) { return absl::ToUnixMicros(time); }

constexpr char kFigureColumns[] =
    "points, published_posts, accepted_answers, helpful_reviews,"
    " active_days, (extract(epoch FROM update_time) * 1000000)::bigint";

ReputationFigures FiguresFromRow(const pqxx::row& row, int first) {
  ReputationFigures figures;
  figures.points = row[first].as<int64_t>();
  figures.published_posts = row[first + 1].as<int64_t>();
  figures.accepted_answers = row[first + 2].as<int64_t>();
  figures.helpful_reviews = row[first + 3].as<int64_t>();
  figures.active_days = row[first + 4].as<int64_t>();
  figures.update_time = absl::FromUnixMicros(row[first + 5].as<int64_t>());
  return figures;
}

constexpr char kLedgerColumns[] =
    "id::text, position, member, reason, points, uncapped_points, subject_kind,"
    " subject, source_event::text, source_seq, award_key,"
    " coalesce(undoes::text, ''), undone, counts_toward_cap, day::text,"
    " (extract(epoch FROM create_time) * 1000000)::bigint";

LedgerRow LedgerFromRow(const pqxx::row& row) {
  LedgerRow ledger;
  ledger.id = row[0].as<std::string>();
  ledger.position = row[1].as<int64_t>();
  ledger.member = row[2].as<std::string>();
  ledger.reason = row[3].as<int>();
  ledger.points = row[4].as<int64_t>();
  ledger.uncapped_points = row[5].as<int64_t>();
  ledger.subject_kind = row[6].as<int>();
  ledger.subject = row[7].as<std::string>();
  ledger.source_event = row[8].as<std::string>();
  ledger.source_seq = row[9].as<int>();
  ledger.award_key = row[10].as<std::string>();
  ledger.undoes = row[11].as<std::string>();
  ledger.undone = row[12].as<bool>();
  ledger.counts_toward_cap = row[13].as<bool>();
  ledger.day = ParseDay(row[14]);
  ledger.create_time = absl::FromUnixMicros(row[15].as<int64_t>());
  return ledger;
}

std::string FromMicros(int parameter) {
  return absl::StrCat("(timestamptz 'epoch' + $", parameter,
                      "::bigint * interval '1 microsecond')");
}

}  // namespace

StoredReputationPolicy LoadReputationPolicy(pqxx::transaction_base& tx,
                                            const std::string& tenant,
                                            bool for_update) {
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT body, version,"
                  " (extract(epoch FROM update_time) * 1000000)::bigint"
                  " FROM settings WHERE tenant = $1"
                  " AND kind = 'reputation_policy'") +
          (for_update ? " FOR UPDATE" : ""),
      tenant);
  StoredReputationPolicy stored;
  if (rows.empty()) return stored;
  v1::ReputationPolicy policy;
  policy.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  stored.policy = std::move(policy);
  stored.version = rows[0][1].as<int64_t>();
  stored.update_time = absl::FromUnixMicros(rows[0][2].as<int64_t>());
  return stored;
}

int64_t SaveReputationPolicy(pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const v1::ReputationPolicy& body, absl::Time now) {
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO settings (tenant, kind, body, version, update_time)"
      " VALUES ($1, 'reputation_policy', $2, 1, " +
          FromMicros(3) +
          ") ON CONFLICT (tenant, kind) DO UPDATE SET body = excluded.body,"
          " version = settings.version + 1,"
          " update_time = excluded.update_time RETURNING version",
      tenant, pqxx::binarystring(body.SerializeAsString()), Micros(now));
  return rows[0][0].as<int64_t>();
}

bool TenantKnown(pqxx::transaction_base& tx, const std::string& tenant) {
  return !tx.exec_params("SELECT 1 FROM tenants WHERE id = $1", tenant).empty();
}

bool RecordReputationSource(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& event_id) {
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO reputation_sources (event_id, tenant) VALUES ($1::uuid, $2)"
      " ON CONFLICT DO NOTHING RETURNING 1",
      event_id, tenant);
  return !rows.empty();
}

std::map<std::string, ReputationFigures> LockReputations(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& members, absl::Time now) {
  std::map<std::string, ReputationFigures> figures;
  if (members.empty()) return figures;
  std::vector<std::string> sorted = members;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  const std::string ids = pg::ToTextArray(sorted);
  tx.exec_params(
      "INSERT INTO reputations (tenant, member, update_time)"
      " SELECT $1, m, " +
          FromMicros(3) +
          " FROM unnest($2::text[]) AS m ORDER BY m"
          " ON CONFLICT DO NOTHING",
      tenant, ids, Micros(now));
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT member, ") + kFigureColumns +
          " FROM reputations WHERE tenant = $1 AND member = ANY($2::text[])"
          " ORDER BY member FOR UPDATE",
      tenant, ids);
  for (const pqxx::row& row : rows) {
    figures[row[0].as<std::string>()] = FiguresFromRow(row, 1);
  }
  return figures;
}

std::optional<ReputationFigures> LoadReputation(pqxx::transaction_base& tx,
                                                const std::string& tenant,
                                                const std::string& member) {
  const pqxx::result rows =
      tx.exec_params(std::string("SELECT ") + kFigureColumns +
                         " FROM reputations WHERE tenant = $1 AND member = $2",
                     tenant, member);
  if (rows.empty()) return std::nullopt;
  return FiguresFromRow(rows[0], 0);
}

void SaveReputation(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& member,
                    const ReputationFigures& figures) {
  tx.exec_params(
      "UPDATE reputations SET points = $3, published_posts = $4,"
      " accepted_answers = $5, helpful_reviews = $6, active_days = $7,"
      " update_time = " +
          FromMicros(8) + " WHERE tenant = $1 AND member = $2",
      tenant, member, figures.points, figures.published_posts,
      figures.accepted_answers, figures.helpful_reviews, figures.active_days,
      Micros(figures.update_time));
}

int64_t CountMembersAbove(pqxx::transaction_base& tx, const std::string& tenant,
                          int64_t points) {
  return tx
      .exec_params(
          "SELECT count(*) FROM reputations WHERE tenant = $1 AND points > $2",
          tenant, points)[0][0]
      .as<int64_t>();
}

void InsertLedgerRow(pqxx::transaction_base& tx, const std::string& tenant,
                     LedgerRow& row) {
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO reputation_events (tenant, member, reason, points,"
      " uncapped_points, subject_kind, subject, source_event, source_seq,"
      " award_key, undoes, counts_toward_cap, day, create_time)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8::uuid, $9, $10,"
      " NULLIF($11, '')::uuid, $12, $13::date, " +
          FromMicros(14) + ") RETURNING id::text, position",
      tenant, row.member, row.reason, row.points, row.uncapped_points,
      row.subject_kind, row.subject, row.source_event, row.source_seq,
      row.award_key, row.undoes, row.counts_toward_cap, DayText(row.day),
      Micros(row.create_time));
  row.id = rows[0][0].as<std::string>();
  row.position = rows[0][1].as<int64_t>();
}

std::optional<LedgerRow> FindStandingAward(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::string& member,
                                           const std::string& key) {
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT ") + kLedgerColumns +
          " FROM reputation_events WHERE tenant = $1 AND member = $2"
          " AND award_key = $3 AND award_key <> '' AND NOT undone FOR UPDATE",
      tenant, member, key);
  if (rows.empty()) return std::nullopt;
  return LedgerFromRow(rows[0]);
}

void MarkUndone(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& id) {
  tx.exec_params(
      "UPDATE reputation_events SET undone = true WHERE tenant = $1"
      " AND id = $2::uuid",
      tenant, id);
}

int64_t PointsTowardCap(pqxx::transaction_base& tx, const std::string& tenant,
                        const std::string& member, absl::CivilDay day) {
  return tx
      .exec_params(
          "SELECT coalesce(sum(points), 0) FROM reputation_events"
          " WHERE tenant = $1 AND member = $2 AND day = $3::date"
          " AND counts_toward_cap AND NOT undone",
          tenant, member, DayText(day))[0][0]
      .as<int64_t>();
}

PointsInWindows SumPoints(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member, absl::CivilDay today) {
  const pqxx::result rows = tx.exec_params(
      "SELECT coalesce(sum(points) FILTER (WHERE day = $3::date), 0),"
      " coalesce(sum(points) FILTER (WHERE day > $3::date - 7), 0),"
      " coalesce(sum(points), 0)"
      " FROM reputation_events WHERE tenant = $1 AND member = $2"
      " AND day > $3::date - 30 AND day <= $3::date",
      tenant, member, DayText(today));
  return {rows[0][0].as<int64_t>(), rows[0][1].as<int64_t>(),
          rows[0][2].as<int64_t>()};
}

std::vector<LedgerRow> ListLedgerRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member, std::optional<absl::Time> start,
    std::optional<absl::Time> end, const std::optional<LedgerPosition>& after,
    int limit) {
  const pqxx::result rows = tx.exec_params(
      std::string("SELECT ") + kLedgerColumns +
          " FROM reputation_events WHERE tenant = $1 AND member = $2"
          " AND ($3 OR create_time >= " +
          FromMicros(4) + ") AND ($5 OR create_time < " + FromMicros(6) +
          ") AND ($7 OR (create_time, position) < (" + FromMicros(8) +
          ", $9)) ORDER BY create_time DESC, position DESC LIMIT $10",
      tenant, member, !start.has_value(), start ? Micros(*start) : 0,
      !end.has_value(), end ? Micros(*end) : 0, !after.has_value(),
      after ? after->create_micros : 0, after ? after->position : 0, limit);
  std::vector<LedgerRow> ledger;
  for (const pqxx::row& row : rows) ledger.push_back(LedgerFromRow(row));
  return ledger;
}

std::vector<HeldTitle> LoadTitles(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& member) {
  const pqxx::result rows = tx.exec_params(
      "SELECT title, display_name,"
      " (extract(epoch FROM award_time) * 1000000)::bigint"
      " FROM member_titles WHERE tenant = $1 AND member = $2"
      " ORDER BY award_time, title",
      tenant, member);
  std::vector<HeldTitle> titles;
  for (const pqxx::row& row : rows) {
    HeldTitle title;
    title.title_id = row[0].as<std::string>();
    title.display_name.ParseFromString(pqxx::binarystring(row[1]).str());
    title.award_time = absl::FromUnixMicros(row[2].as<int64_t>());
    titles.push_back(std::move(title));
  }
  return titles;
}

void InsertTitle(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member, const HeldTitle& title) {
  tx.exec_params(
      "INSERT INTO member_titles (tenant, member, title, display_name,"
      " award_time) VALUES ($1, $2, $3, $4, " +
          FromMicros(5) + ") ON CONFLICT DO NOTHING",
      tenant, member, title.title_id,
      pqxx::binarystring(title.display_name.SerializeAsString()),
      Micros(title.award_time));
}

void DeleteTitle(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member, const std::string& title_id) {
  tx.exec_params(
      "DELETE FROM member_titles WHERE tenant = $1 AND member = $2"
      " AND title = $3",
      tenant, member, title_id);
}

std::optional<CountedPost> LoadCountedPost(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::string& post) {
  const pqxx::result rows = tx.exec_params(
      "SELECT author, counted FROM reputation_posts WHERE tenant = $1"
      " AND post = $2 FOR UPDATE",
      tenant, post);
  if (rows.empty()) return std::nullopt;
  return CountedPost{rows[0][0].as<std::string>(), rows[0][1].as<bool>()};
}

void SaveCountedPost(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& post, const CountedPost& state) {
  tx.exec_params(
      "INSERT INTO reputation_posts (tenant, post, author, counted)"
      " VALUES ($1, $2, $3, $4) ON CONFLICT (tenant, post) DO UPDATE"
      " SET author = excluded.author, counted = excluded.counted",
      tenant, post, state.author, state.counted);
}

bool MarkActiveDay(pqxx::transaction_base& tx, const std::string& tenant,
                   const std::string& member, absl::CivilDay day) {
  return !tx.exec_params(
                "INSERT INTO member_active_days (tenant, member, day)"
                " VALUES ($1, $2, $3::date) ON CONFLICT DO NOTHING"
                " RETURNING 1",
                tenant, member, DayText(day))
              .empty();
}

void AddContribution(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member, absl::CivilDay day,
                     int contribution, int64_t delta) {
  tx.exec_params(
      "INSERT INTO member_contributions (tenant, member, day, contribution,"
      " count) VALUES ($1, $2, $3::date, $4, GREATEST($5, 0))"
      " ON CONFLICT (tenant, member, day, contribution) DO UPDATE"
      " SET count = GREATEST(member_contributions.count + $5, 0)",
      tenant, member, DayText(day), contribution, delta);
}

std::vector<std::string> ErasedMembers(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& members) {
  std::vector<std::string> erased;
  if (members.empty()) return erased;
  const pqxx::result rows = tx.exec_params(
      "SELECT id FROM members WHERE tenant = $1 AND id = ANY($2::text[])"
      " AND erased",
      tenant, pg::ToTextArray(members));
  for (const pqxx::row& row : rows) erased.push_back(row[0].as<std::string>());
  return erased;
}

MemberPresence FindMember(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& member) {
  const pqxx::result rows = tx.exec_params(
      "SELECT (SELECT erased FROM members WHERE tenant = $1 AND id = $2),"
      " EXISTS (SELECT 1 FROM reputations WHERE tenant = $1 AND member = $2)"
      " OR EXISTS (SELECT 1 FROM votes WHERE tenant = $1 AND voter = $2)",
      tenant, member);
  if (!rows[0][0].is_null()) {
    return rows[0][0].as<bool>() ? MemberPresence::kErased
                                 : MemberPresence::kKnown;
  }
  return rows[0][1].as<bool>() ? MemberPresence::kKnown
                               : MemberPresence::kUnknown;
}

void EraseReputation(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member) {
  for (const char* table : {"reputation_events", "member_titles",
                            "member_active_days", "member_contributions"}) {
    tx.exec_params(absl::StrCat("DELETE FROM ", table,
                                " WHERE tenant = $1 AND member = $2"),
                   tenant, member);
  }
  tx.exec_params("DELETE FROM reputations WHERE tenant = $1 AND member = $2",
                 tenant, member);
  tx.exec_params(
      "UPDATE reputation_posts SET author = '' WHERE tenant = $1"
      " AND author = $2",
      tenant, member);
  // Awards of the member's votes to other authors keep their points but
  // no longer name the voter ("vote/{post}/{voter}/{axis}").
  tx.exec_params(
      "UPDATE reputation_events SET award_key = 'erased/' || id::text"
      " WHERE tenant = $1 AND award_key LIKE 'vote/%'"
      " AND split_part(award_key, '/', 3) = $2",
      tenant, member);
}

}  // namespace agora::ranking
