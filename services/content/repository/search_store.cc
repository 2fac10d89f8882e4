#include "services/content/repository/search_store.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/pg/arrays.h"

namespace agora::content {
namespace {

// agora.common.v1 values used in fixed SQL fragments (the partial indexes
// of migration 0003 name them as literals too).
constexpr int kPublished = 2;       // POST_STATE_PUBLISHED
constexpr int kQuestion = 1;        // CONTENT_KIND_QUESTION
constexpr int kIdea = 3;            // CONTENT_KIND_IDEA
constexpr int kQuestionsSpace = 3;  // SPACE_KIND_QUESTIONS

// Search ranks at most this many matches, the newest (see SearchPostRows).
constexpr int kMaxRanked = 5000;

// A WHERE clause of fixed fragments over `posts p`, every value a
// parameter after the fixed ones ($1 is always the tenant).
class Where {
 public:
  explicit Where(std::vector<std::string> fixed) : params_(std::move(fixed)) {}

  std::string Param(std::string value) {
    params_.push_back(std::move(value));
    return absl::StrCat("$", params_.size());
  }
  std::string TimeParam(absl::Time time) {
    return absl::StrCat("(timestamptz 'epoch' + ",
                        Param(std::to_string(absl::ToUnixMicros(time))),
                        "::bigint * interval '1 microsecond')");
  }
  void And(absl::string_view clause) {
    absl::StrAppend(&sql_, " AND ", clause);
  }

  const std::string& sql() const { return sql_; }
  pqxx::result Exec(pqxx::transaction_base& tx, const std::string& query) {
    return tx.exec_params(query, pqxx::prepare::make_dynamic_params(params_));
  }

 private:
  std::string sql_;
  std::vector<std::string> params_;
};

std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

void Apply(const PostFilters& filters, Where& where) {
  if (!filters.kinds.empty()) {
    where.And(absl::StrCat("p.kind = ANY(",
                           where.Param(IntArray(filters.kinds)),
                           "::smallint[])"));
  }
  if (!filters.space.empty()) {
    where.And(absl::StrCat("p.space = ", where.Param(filters.space)));
  }
  if (!filters.category.empty()) {
    where.And(absl::StrCat("p.category = ", where.Param(filters.category)));
  }
  if (!filters.tags.empty()) {
    where.And(absl::StrCat(
        "p.tags @> ", where.Param(pg::ToTextArray(filters.tags)), "::text[]"));
  }
  if (!filters.idea_statuses.empty()) {
    where.And(absl::StrCat("p.kind = ", kIdea, " AND p.idea_status = ANY(",
                           where.Param(IntArray(filters.idea_statuses)),
                           "::smallint[])"));
  }
  if (!filters.author.empty()) {
    where.And(absl::StrCat("p.author = ", where.Param(filters.author),
                           " AND NOT p.author_is_service"));
  }
  if (filters.created_from.has_value()) {
    where.And(absl::StrCat("p.create_time >= ",
                           where.TimeParam(*filters.created_from)));
  }
  if (filters.created_before.has_value()) {
    where.And(absl::StrCat("p.create_time < ",
                           where.TimeParam(*filters.created_before)));
  }
  if (filters.unanswered_only) {
    where.And(
        absl::StrCat("p.kind = ", kQuestion, " AND p.accepted_answer = ''"));
  }
}

// Seconds (a double) between two timestamptz expressions, never negative;
// NULL when `to` is NULL (greatest() alone would turn NULL into 0).
std::string SecondsBetween(absl::string_view from, absl::string_view to) {
  return absl::StrCat("CASE WHEN ", to,
                      " IS NOT NULL THEN greatest(extract(epoch FROM ", to,
                      " - ", from, ")::float8, 0) END");
}

std::optional<absl::Duration> SecondsOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::Microseconds(
      static_cast<int64_t>(field.as<double>() * 1e6 + 0.5));
}

// When a post started waiting for answers or responses: its publication
// (posts published before publish_time existed fall back to creation).
constexpr char kPublishedAt[] = "coalesce(p.publish_time, p.create_time)";

}  // namespace

SearchPage SearchPostRows(pqxx::transaction_base& tx, const std::string& tenant,
                          const std::string& language, const std::string& query,
                          const PostFilters& filters, int limit,
                          int64_t offset) {
  // $2 and $3 are the query's language and text; the parsed query is a
  // constant of the plan, so repeating it costs nothing.
  constexpr char kQuery[] = "websearch_to_tsquery(search_config($2), $3)";
  Where where({tenant, language, query});
  Apply(filters, where);
  // Ranking reads every candidate's tsvector, which costs about 18 µs a
  // row: a word found in 150,000 posts took 2.7 s to rank. So only the
  // kMaxRanked newest matches are ranked (the count still covers every
  // match), which keeps such a query near 0.2-1 s and changes nothing below
  // that many matches.
  // Weights of D (bodies), C, B (tags), A (titles); normalization 1
  // divides by 1 + log(length) so long bodies do not win by size alone.
  const pqxx::result rows = where.Exec(
      tx, absl::StrCat(
              "WITH matches AS (SELECT p.id, count(*) OVER () AS"
              " total FROM posts p WHERE p.tenant = $1 AND p.state = ",
              kPublished, " AND p.search_document @@ ", kQuery, where.sql(),
              " ORDER BY p.create_time DESC, p.id DESC LIMIT ", kMaxRanked,
              ") SELECT p.id, ts_rank_cd('{0.1, 0.2, 0.4, 1.0}',"
              " p.search_document, ",
              kQuery, ", 1)::float8 AS relevance, m.total",
              " FROM matches m JOIN posts p ON p.tenant = $1 AND"
              " p.id = m.id"
              " ORDER BY relevance DESC, p.create_time DESC, p.id"
              " LIMIT ",
              limit, " OFFSET ", offset));
  SearchPage page;
  std::vector<std::string> ids;
  for (const pqxx::row& row : rows) {
    page.hits.push_back(
        SearchHit{row[0].as<std::string>(), row[1].as<double>(), ""});
    page.total = row[2].as<int64_t>();
    ids.push_back(page.hits.back().id);
  }
  page.more = offset + static_cast<int64_t>(rows.size()) <
              std::min<int64_t>(page.total, kMaxRanked);
  if (rows.empty() && offset > 0) {
    // Past the last page: the window count above saw no row.
    Where count({tenant, language, query});
    Apply(filters, count);
    page.total =
        count
            .Exec(tx, absl::StrCat("SELECT count(*) FROM posts p WHERE"
                                   " p.tenant = $1 AND p.state = ",
                                   kPublished, " AND p.search_document @@ ",
                                   kQuery, count.sql()))[0][0]
            .as<int64_t>();
  }
  if (ids.empty()) return page;
  // Headlines for this page only (ts_headline re-parses each body). The
  // markers are removed from the body first so that they mark only matches.
  const std::string options =
      absl::StrCat("StartSel=", kHighlightStart, ", StopSel=", kHighlightStop,
                   ", MaxWords=35, MinWords=15, ShortWord=3, MaxFragments=2,"
                   " FragmentDelimiter=\" … \"");
  const pqxx::result headlines = tx.exec_params(
      "SELECT p.id, ts_headline(search_config(p.language),"
      " translate(p.body, $6, ''), websearch_to_tsquery(search_config($2), $3),"
      " $5) FROM posts p WHERE p.tenant = $1 AND p.id = ANY($4::text[])",
      tenant, language, query, pg::ToTextArray(ids), options,
      absl::StrCat(kHighlightStart, kHighlightStop));
  for (const pqxx::row& row : headlines) {
    for (SearchHit& hit : page.hits) {
      if (hit.id == row[0].c_str()) hit.headline = row[1].as<std::string>();
    }
  }
  return page;
}

std::vector<SimilarHit> SimilarPostRows(
    pqxx::transaction_base& tx, const std::string& tenant, int kind,
    const std::string& space, const std::string& title, const std::string& body,
    double threshold, int limit, int64_t offset) {
  // `%` compares with this setting; local to the transaction.
  tx.exec_params("SELECT set_config('pg_trgm.similarity_threshold', $1, true)",
                 std::to_string(threshold));
  Where where({tenant, title});
  // The draft's body is a parameter only when it is used.
  const std::string draft_head =
      body.empty()
          ? ""
          : absl::StrCat("similarity_head($2, ", where.Param(body), ")");
  if (!space.empty()) {
    where.And(absl::StrCat("p.space = ", where.Param(space)));
  }
  // The expressions match the indexes posts_similar_title and
  // posts_similar_head; the draft's side is folded to constants. Without a
  // draft body, heads are not compared: a short draft shares 30% of its
  // trigrams with nearly every post's first 300 characters, so the head
  // index would hand almost the whole tenant to the recheck.
  const std::string title_similarity =
      "similarity(similarity_key(p.title), similarity_key($2))";
  const std::string score =
      body.empty()
          ? title_similarity
          : absl::StrCat("greatest(", title_similarity,
                         ", similarity(similarity_head(p.title, p.body), ",
                         draft_head, "))");
  const std::string match =
      body.empty() ? "similarity_key(p.title) % similarity_key($2)"
                   : absl::StrCat(
                         "(similarity_key(p.title) % similarity_key($2) OR"
                         " similarity_head(p.title, p.body) % ",
                         draft_head, ")");
  const pqxx::result rows = where.Exec(
      tx, absl::StrCat("SELECT p.id, ", score,
                       "::float8 AS s FROM posts p WHERE p.tenant = $1 AND"
                       " p.state = ",
                       kPublished, " AND p.kind = ", kind,
                       " AND p.merged_into = ''", where.sql(), " AND ", match,
                       " ORDER BY s DESC, p.create_time DESC, p.id LIMIT ",
                       limit, " OFFSET ", offset));
  std::vector<SimilarHit> hits;
  for (const pqxx::row& row : rows) {
    const double similarity = row[1].as<double>();
    if (similarity < threshold) continue;
    hits.push_back(SimilarHit{row[0].as<std::string>(), similarity});
  }
  return hits;
}

bool SpaceExists(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& space) {
  return !tx.exec_params("SELECT 1 FROM spaces WHERE tenant = $1 AND id = $2",
                         tenant, space)
              .empty();
}

bool CategoryExists(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& space, const std::string& category) {
  return !tx.exec_params(
                "SELECT 1 FROM categories WHERE tenant = $1 AND space = $2"
                " AND id = $3",
                tenant, space, category)
              .empty();
}

std::vector<v1::PostCount> CountPostRows(pqxx::transaction_base& tx,
                                         const std::string& tenant,
                                         const PostFilters& filters,
                                         bool every_state) {
  Where where({tenant});
  Apply(filters, where);
  if (!every_state) where.And(absl::StrCat("p.state = ", kPublished));
  std::vector<v1::PostCount> counts;
  for (const pqxx::row& row : where.Exec(
           tx, absl::StrCat("SELECT p.kind, p.state, count(*) FROM posts p"
                            " WHERE p.tenant = $1",
                            where.sql(), " GROUP BY 1, 2 ORDER BY 1, 2"))) {
    v1::PostCount& count = counts.emplace_back();
    count.set_kind(static_cast<common::v1::ContentKind>(row[0].as<int>()));
    count.set_state(static_cast<common::v1::PostState>(row[1].as<int>()));
    count.set_count(row[2].as<int64_t>());
  }
  return counts;
}

std::vector<v1::IdeaStatusCount> CountIdeaStatusRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const PostFilters& filters) {
  Where where({tenant});
  Apply(filters, where);
  std::vector<v1::IdeaStatusCount> counts;
  for (const pqxx::row& row :
       where.Exec(tx, absl::StrCat("SELECT p.idea_status, count(*) FROM posts p"
                                   " WHERE p.tenant = $1 AND p.kind = ",
                                   kIdea, " AND p.state = ", kPublished,
                                   " AND p.idea_status <> 0", where.sql(),
                                   " GROUP BY 1 ORDER BY 1"))) {
    v1::IdeaStatusCount& count = counts.emplace_back();
    count.set_status(static_cast<common::v1::IdeaStatus>(row[0].as<int>()));
    count.set_count(row[1].as<int64_t>());
  }
  return counts;
}

v1::UnansweredQuestions CountUnanswered(pqxx::transaction_base& tx,
                                        const std::string& tenant,
                                        const PostFilters& filters,
                                        absl::Time now) {
  Where where({tenant});
  Apply(filters, where);
  const std::string age = SecondsBetween(kPublishedAt, where.TimeParam(now));
  const pqxx::result rows = where.Exec(
      tx,
      absl::StrCat(
          "SELECT count(*), count(*) FILTER (WHERE p.first_answer_time IS "
          "NULL),"
          " count(*) FILTER (WHERE a.age < 86400),"
          " count(*) FILTER (WHERE a.age >= 86400 AND a.age < 7 * 86400),"
          " count(*) FILTER (WHERE a.age >= 7 * 86400 AND a.age < 30 * 86400),"
          " count(*) FILTER (WHERE a.age >= 30 * 86400), max(a.age)"
          " FROM posts p JOIN spaces s ON s.tenant = p.tenant AND"
          " s.id = p.space AND s.kind = ",
          kQuestionsSpace, " CROSS JOIN LATERAL (SELECT ", age,
          " AS age) a WHERE p.tenant = $1 AND p.kind = ", kQuestion,
          " AND p.state = ", kPublished, " AND p.accepted_answer = ''",
          where.sql()));
  v1::UnansweredQuestions unanswered;
  const pqxx::row row = rows[0];
  unanswered.set_total(row[0].as<int64_t>());
  unanswered.set_without_answer(row[1].as<int64_t>());
  unanswered.set_under_1_day(row[2].as<int64_t>());
  unanswered.set_from_1_to_7_days(row[3].as<int64_t>());
  unanswered.set_from_7_to_30_days(row[4].as<int64_t>());
  unanswered.set_over_30_days(row[5].as<int64_t>());
  if (std::optional<absl::Duration> oldest = SecondsOf(row[6])) {
    const int64_t micros = absl::ToInt64Microseconds(*oldest);
    unanswered.mutable_oldest_age()->set_seconds(micros / 1000000);
    unanswered.mutable_oldest_age()->set_nanos(
        static_cast<int32_t>(micros % 1000000) * 1000);
  }
  return unanswered;
}

AccountabilityFigures ComputeAccountability(pqxx::transaction_base& tx,
                                            const std::string& tenant,
                                            const std::string& space,
                                            absl::Time from, absl::Time to,
                                            absl::Duration response_target) {
  AccountabilityFigures figures;
  PostFilters filters;
  filters.space = space;
  filters.created_from = from;
  filters.created_before = to;
  {
    Where where({tenant});
    Apply(filters, where);
    const std::string response =
        SecondsBetween(kPublishedAt, "p.first_response_time");
    const pqxx::row row = where.Exec(
        tx,
        absl::StrCat(
            "SELECT count(*), count(*) FILTER (WHERE ", response, " <= ",
            where.Param(std::to_string(absl::ToDoubleSeconds(response_target))),
            "::float8), percentile_cont(0.5) WITHIN GROUP (ORDER BY ", response,
            ") FROM posts p WHERE p.tenant = $1 AND p.kind = ", kIdea,
            " AND p.state = ", kPublished, where.sql()))[0];
    figures.ideas_published = row[0].as<int64_t>();
    figures.ideas_responded_in_target = row[1].as<int64_t>();
    figures.median_time_to_official_response = SecondsOf(row[2]);
  }
  {
    Where where({tenant});
    Apply(filters, where);
    const std::string accepted =
        absl::StrCat("CASE WHEN p.accepted_answer <> '' THEN ",
                     SecondsBetween(kPublishedAt, "p.accept_time"), " END");
    const pqxx::row row = where.Exec(
        tx,
        absl::StrCat(
            "SELECT count(*), count(*) FILTER (WHERE p.accepted_answer <> ''),"
            " percentile_cont(0.5) WITHIN GROUP (ORDER BY ",
            SecondsBetween(kPublishedAt, "p.first_answer_time"),
            "), percentile_cont(0.5) WITHIN GROUP (ORDER BY ", accepted,
            ") FROM posts p WHERE p.tenant = $1 AND p.kind = ", kQuestion,
            " AND p.state = ", kPublished, where.sql()))[0];
    figures.questions_published = row[0].as<int64_t>();
    figures.questions_accepted = row[1].as<int64_t>();
    figures.median_time_to_first_answer = SecondsOf(row[2]);
    figures.median_time_to_accepted_answer = SecondsOf(row[3]);
  }
  return figures;
}

}  // namespace agora::content
