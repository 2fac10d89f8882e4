#include "services/share/repository/link_store.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "libs/pg/arrays.h"

namespace agora::share {
namespace {

constexpr char kLinkColumns[] =
    "l.tenant, l.code, l.post, coalesce(p.kind, 0),"
    " coalesce(p.published, false), l.network, l.sharer, l.target_url,"
    " l.utm_campaign, (extract(epoch FROM l.create_time) * 1000000)::bigint,"
    " l.clicks, l.bot_clicks, l.unique_visitors,"
    " (extract(epoch FROM l.first_click_time) * 1000000)::bigint,"
    " (extract(epoch FROM l.last_click_time) * 1000000)::bigint";
constexpr char kLinkFrom[] =
    " FROM short_links l LEFT JOIN posts p"
    " ON p.tenant = l.tenant AND p.id = l.post";

std::optional<absl::Time> TimeOrNull(const pqxx::field& micros) {
  if (micros.is_null()) return std::nullopt;
  return absl::FromUnixMicros(micros.as<int64_t>());
}

LinkRow LinkOf(const pqxx::row& row) {
  LinkRow link;
  link.tenant = row[0].as<std::string>();
  link.code = row[1].as<std::string>();
  link.post = row[2].as<std::string>();
  link.post_kind = row[3].as<int>();
  link.post_published = row[4].as<bool>();
  link.network = row[5].as<int>();
  link.sharer = row[6].as<std::string>();
  link.target_url = row[7].as<std::string>();
  link.utm_campaign = row[8].as<std::string>();
  link.create_time = absl::FromUnixMicros(row[9].as<int64_t>());
  link.clicks = row[10].as<int64_t>();
  link.bot_clicks = row[11].as<int64_t>();
  link.unique_visitors = row[12].as<int64_t>();
  link.first_click_time = TimeOrNull(row[13]);
  link.last_click_time = TimeOrNull(row[14]);
  return link;
}

std::string Select(absl::string_view where) {
  return absl::StrCat("SELECT ", kLinkColumns, kLinkFrom, " WHERE ", where);
}

std::string DayText(absl::CivilDay day) { return absl::FormatCivilTime(day); }

std::string Micros(std::optional<absl::Time> time) {
  return time.has_value() ? absl::StrCat(absl::ToUnixMicros(*time)) : "NULL";
}

}  // namespace

std::optional<LinkRow> FindLink(pqxx::transaction_base& tx,
                                const std::string& tenant,
                                const std::string& code) {
  const pqxx::result rows =
      tx.exec_params(Select("l.tenant = $1 AND l.code = $2"), tenant, code);
  if (rows.empty()) return std::nullopt;
  return LinkOf(rows[0]);
}

std::optional<LinkRow> FindLinkFor(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& post, int network,
                                   const std::string& sharer) {
  const pqxx::result rows =
      tx.exec_params(Select("l.tenant = $1 AND l.post = $2 AND l.network = $3"
                            " AND l.sharer = $4 AND NOT l.sharer_erased"),
                     tenant, post, network, sharer);
  if (rows.empty()) return std::nullopt;
  return LinkOf(rows[0]);
}

bool InsertLink(pqxx::transaction_base& tx, const LinkRow& link) {
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO short_links (tenant, code, post, network, sharer,"
      " target_url, utm_campaign, create_time)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7,"
      " timestamptz 'epoch' + $8::bigint * interval '1 microsecond')"
      " ON CONFLICT DO NOTHING RETURNING code",
      link.tenant, link.code, link.post, link.network, link.sharer,
      link.target_url, link.utm_campaign, absl::ToUnixMicros(link.create_time));
  return !rows.empty();
}

std::vector<LinkRow> ListLinks(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const LinkFilter& filter,
                               const std::optional<LinkCursor>& after,
                               int limit) {
  const pqxx::result rows = tx.exec_params(
      Select("l.tenant = $1 AND ($2 = '' OR l.post = $2)"
             " AND ($3 = '' OR (l.sharer = $3 AND NOT l.sharer_erased))"
             " AND ($4 = 0 OR l.network = $4)"
             " AND ($5::bigint IS NULL OR (l.create_time, l.code) <"
             " (timestamptz 'epoch' + $5::bigint * interval '1 microsecond',"
             " $6))"
             " ORDER BY l.create_time DESC, l.code DESC LIMIT $7"),
      tenant, filter.post, filter.sharer, filter.network,
      after.has_value()
          ? std::optional<int64_t>(absl::ToUnixMicros(after->create_time))
          : std::nullopt,
      after.has_value() ? after->code : std::string(), limit);
  std::vector<LinkRow> links;
  for (const pqxx::row& row : rows) links.push_back(LinkOf(row));
  return links;
}

std::vector<NetworkRow> NetworkFigures(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& post) {
  std::vector<NetworkRow> figures;
  for (const pqxx::row& row :
       tx.exec_params("SELECT network, count(*),"
                      " count(*) FILTER (WHERE first_click_time IS NOT NULL),"
                      " coalesce(sum(clicks), 0)::bigint,"
                      " coalesce(sum(bot_clicks), 0)::bigint"
                      " FROM short_links WHERE tenant = $1 AND post = $2"
                      " GROUP BY network ORDER BY network",
                      tenant, post)) {
    figures.push_back(NetworkRow{row[0].as<int>(), row[1].as<int64_t>(),
                                 row[2].as<int64_t>(), row[3].as<int64_t>(),
                                 row[4].as<int64_t>()});
  }
  return figures;
}

std::vector<DayRow> DailyFigures(pqxx::transaction_base& tx,
                                 const std::string& tenant,
                                 const std::string& post, absl::CivilDay first,
                                 absl::CivilDay last) {
  std::vector<DayRow> days;
  for (const pqxx::row& row : tx.exec_params(
           "SELECT to_char(d.day, 'YYYY-MM-DD'), sum(d.clicks)::bigint,"
           " sum(d.bot_clicks)::bigint"
           " FROM link_days d JOIN short_links l"
           " ON l.tenant = d.tenant AND l.code = d.code"
           " WHERE d.tenant = $1 AND l.post = $2"
           " AND d.day BETWEEN $3::date AND $4::date"
           " GROUP BY d.day ORDER BY d.day",
           tenant, post, DayText(first), DayText(last))) {
    DayRow day;
    if (!absl::ParseCivilTime(row[0].as<std::string>(), &day.day)) continue;
    day.clicks = row[1].as<int64_t>();
    day.bot_clicks = row[2].as<int64_t>();
    days.push_back(day);
  }
  return days;
}

bool MarkBatchApplied(pqxx::transaction_base& tx, const std::string& tenant,
                      const std::string& batch) {
  return !tx.exec_params(
                "INSERT INTO applied_flushes (tenant, batch) VALUES ($1, $2)"
                " ON CONFLICT DO NOTHING RETURNING batch",
                tenant, batch)
              .empty();
}

void AddClickDeltas(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::vector<LinkDayDelta>& deltas) {
  if (deltas.empty()) return;
  std::vector<std::string> codes, days, clicks, bots;
  for (const LinkDayDelta& delta : deltas) {
    codes.push_back(delta.code);
    days.push_back(DayText(delta.day));
    clicks.push_back(absl::StrCat(delta.clicks));
    bots.push_back(absl::StrCat(delta.bot_clicks));
  }
  const std::string code_array = pg::ToTextArray(codes);
  const std::string day_array = pg::ToTextArray(days);
  const std::string click_array = pg::ToTextArray(clicks);
  const std::string bot_array = pg::ToTextArray(bots);
  // Only codes that exist: a counter of a link deleted since is dropped.
  tx.exec_params(
      "INSERT INTO link_days (tenant, code, day, clicks, bot_clicks)"
      " SELECT $1, d.code, d.day::date, sum(d.clicks::bigint),"
      " sum(d.bots::bigint)"
      " FROM unnest($2::text[], $3::text[], $4::text[], $5::text[])"
      " AS d(code, day, clicks, bots)"
      " JOIN short_links l ON l.tenant = $1 AND l.code = d.code"
      " GROUP BY d.code, d.day"
      " ON CONFLICT (tenant, code, day) DO UPDATE SET"
      " clicks = link_days.clicks + excluded.clicks,"
      " bot_clicks = link_days.bot_clicks + excluded.bot_clicks",
      tenant, code_array, day_array, click_array, bot_array);
  tx.exec_params(
      "UPDATE short_links l SET clicks = l.clicks + d.clicks,"
      " bot_clicks = l.bot_clicks + d.bots"
      " FROM (SELECT code, sum(clicks::bigint) AS clicks,"
      " sum(bots::bigint) AS bots"
      " FROM unnest($2::text[], $3::text[], $4::text[])"
      " AS u(code, clicks, bots) GROUP BY code) d"
      " WHERE l.tenant = $1 AND l.code = d.code",
      tenant, code_array, click_array, bot_array);
}

std::vector<std::string> RecordClickTimes(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::map<std::string, LinkTimes>& times) {
  std::vector<std::string> first_shares;
  if (times.empty()) return first_shares;
  std::vector<std::string> codes, firsts, lasts;
  for (const auto& [code, time] : times) {
    codes.push_back(code);
    firsts.push_back(Micros(time.first_human));
    lasts.push_back(Micros(time.last));
  }
  // The rows are locked by the UPDATE; the CTE reads them before it, so a
  // link whose first_click_time was NULL and is now set just became a share.
  for (const pqxx::row& row : tx.exec_params(
           "WITH d AS (SELECT code, nullif(f, 'NULL')::bigint AS f,"
           " nullif(l, 'NULL')::bigint AS l"
           " FROM unnest($2::text[], $3::text[], $4::text[]) AS u(code, f, l)),"
           " before AS (SELECT s.code, s.first_click_time IS NULL AS unshared"
           " FROM short_links s JOIN d ON s.code = d.code"
           " WHERE s.tenant = $1 FOR UPDATE OF s)"
           " UPDATE short_links s SET"
           " first_click_time = coalesce(s.first_click_time,"
           " timestamptz 'epoch' + d.f * interval '1 microsecond'),"
           " last_click_time = greatest(s.last_click_time,"
           " timestamptz 'epoch' + d.l * interval '1 microsecond')"
           " FROM d, before WHERE s.tenant = $1 AND s.code = d.code"
           " AND before.code = d.code"
           " RETURNING s.code, before.unshared AND d.f IS NOT NULL",
           tenant, pg::ToTextArray(codes), pg::ToTextArray(firsts),
           pg::ToTextArray(lasts))) {
    if (row[1].as<bool>()) first_shares.push_back(row[0].as<std::string>());
  }
  return first_shares;
}

std::map<std::string, LinkRow> LinksByCode(pqxx::transaction_base& tx,
                                           const std::string& tenant,
                                           const std::set<std::string>& codes) {
  std::map<std::string, LinkRow> links;
  if (codes.empty()) return links;
  const std::vector<std::string> list(codes.begin(), codes.end());
  for (const pqxx::row& row :
       tx.exec_params(Select("l.tenant = $1 AND l.code = ANY($2::text[])"),
                      tenant, pg::ToTextArray(list))) {
    LinkRow link = LinkOf(row);
    links.emplace(link.code, std::move(link));
  }
  return links;
}

std::map<std::string, std::string> LoadSketches(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& scopes) {
  std::map<std::string, std::string> sketches;
  if (scopes.empty()) return sketches;
  for (const pqxx::row& row :
       tx.exec_params("SELECT scope, registers FROM sketches"
                      " WHERE tenant = $1 AND scope = ANY($2::text[])",
                      tenant, pg::ToTextArray(scopes))) {
    sketches.emplace(row[0].as<std::string>(),
                     pqxx::binarystring(row[1]).str());
  }
  return sketches;
}

void SaveSketches(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::vector<Sketch>& sketches) {
  if (sketches.empty()) return;
  std::vector<std::string> scopes, registers, estimates;
  for (const Sketch& sketch : sketches) {
    scopes.push_back(sketch.scope);
    // Hex: text[] cannot carry arbitrary bytes.
    registers.push_back(absl::BytesToHexString(sketch.registers));
    estimates.push_back(absl::StrCat(sketch.estimate));
  }
  // One statement for the whole flush (one per sketch made a flush of
  // 16,000 sketches take a second of round trips).
  tx.exec_params(
      "INSERT INTO sketches (tenant, scope, registers, estimate)"
      " SELECT $1, u.scope, decode(u.registers, 'hex'), u.estimate::bigint"
      " FROM unnest($2::text[], $3::text[], $4::text[])"
      " AS u(scope, registers, estimate)"
      " ON CONFLICT (tenant, scope) DO UPDATE SET"
      " registers = excluded.registers, estimate = excluded.estimate,"
      " update_time = now()",
      tenant, pg::ToTextArray(scopes), pg::ToTextArray(registers),
      pg::ToTextArray(estimates));
}

std::map<std::string, int64_t> SketchEstimates(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& scopes) {
  std::map<std::string, int64_t> estimates;
  if (scopes.empty()) return estimates;
  for (const pqxx::row& row :
       tx.exec_params("SELECT scope, estimate FROM sketches"
                      " WHERE tenant = $1 AND scope = ANY($2::text[])",
                      tenant, pg::ToTextArray(scopes))) {
    estimates.emplace(row[0].as<std::string>(), row[1].as<int64_t>());
  }
  return estimates;
}

void SetUniqueVisitors(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::map<std::string, int64_t>& estimates) {
  if (estimates.empty()) return;
  std::vector<std::string> codes, values;
  for (const auto& [code, estimate] : estimates) {
    codes.push_back(code);
    values.push_back(absl::StrCat(estimate));
  }
  tx.exec_params(
      "UPDATE short_links l SET unique_visitors = u.estimate::bigint"
      " FROM unnest($2::text[], $3::text[]) AS u(code, estimate)"
      " WHERE l.tenant = $1 AND l.code = u.code",
      tenant, pg::ToTextArray(codes), pg::ToTextArray(values));
}

std::vector<int64_t> RecordMilestones(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& code,
                                      const std::vector<int64_t>& milestones) {
  std::vector<int64_t> reached;
  for (int64_t milestone : milestones) {
    if (!tx.exec_params("INSERT INTO link_milestones (tenant, code, milestone)"
                        " VALUES ($1, $2, $3) ON CONFLICT DO NOTHING"
                        " RETURNING milestone",
                        tenant, code, milestone)
             .empty()) {
      reached.push_back(milestone);
    }
  }
  return reached;
}

void PruneAppliedBatches(pqxx::transaction_base& tx, absl::Duration age) {
  tx.exec_params(
      "DELETE FROM applied_flushes WHERE apply_time <"
      " now() - $1::bigint * interval '1 second'",
      absl::ToInt64Seconds(age));
}

void EraseSharer(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member) {
  tx.exec_params(
      "UPDATE short_links SET sharer = '', sharer_erased = true"
      " WHERE tenant = $1 AND sharer = $2",
      tenant, member);
}

}  // namespace agora::share
