#include "services/content/repository/post_store.h"

#include <google/protobuf/util/time_util.h>
#include <openssl/rand.h>

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/api/update_mask.h"
#include "libs/pg/arrays.h"
#include "libs/pg/prepared.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

#define AGORA_MICROS(column) \
  "(extract(epoch FROM " column ") * 1000000)::bigint"

// Column order read by PostFromRow.
constexpr char kPostColumns[] =
    "p.id, p.kind, p.space, p.category, p.in_reply_to,"          // 0-4
    " p.in_reply_to_comment, p.thread_root, p.author,"           // 5-7
    " p.author_is_service, array_to_string(p.author_badges, ','),"  // 8-9
    " p.title, p.body, p.language, p.tags, p.state,"             // 10-14
    " p.unscreened, p.moderation, p.details, p.accepted_answer,"  // 15-18
    " " AGORA_MICROS("p.accept_time") ", p.answer_count,"         // 19-20
    " " AGORA_MICROS("p.first_answer_time") ", p.accepted,"       // 21-22
    " p.automated, p.idea_status,"                               // 23-24
    " " AGORA_MICROS("p.status_update_time") ", p.merged_into,"   // 25-26
    " p.merged_count, p.product, p.rating, p.verified_customer,"  // 27-30
    " p.round, p.prize_rank, p.comment_count, p.follower_count,"  // 31-34
    " p.revision_id, p.version,"                                 // 35-36
    " " AGORA_MICROS("p.create_time") ","                         // 37
    " " AGORA_MICROS("p.update_time") ","                         // 38
    " " AGORA_MICROS("p.publish_time") ","                        // 39
    " " AGORA_MICROS("p.edit_time") ","                           // 40
    " " AGORA_MICROS("p.last_activity_time") ","                  // 41
    " m.display_name, m.avatar_uri, m.erased";                   // 42-44

constexpr char kPostFrom[] =
    " FROM posts p LEFT JOIN members m ON m.tenant = p.tenant AND"
    " m.id = p.author AND NOT p.author_is_service";

#undef AGORA_MICROS

std::optional<google::protobuf::Timestamp> TimeOf(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return TimeUtil::MicrosecondsToTimestamp(field.as<int64_t>());
}

// Sets the timestamp `mutable_time()` returns only when the column is not
// NULL: calling a mutable_ accessor marks the field present.
template <typename MutableTime>
void SetTime(const pqxx::field& field, MutableTime mutable_time) {
  if (std::optional<google::protobuf::Timestamp> time = TimeOf(field)) {
    *mutable_time() = *time;
  }
}

std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

std::string Micros(absl::Time time) {
  return std::to_string(absl::ToUnixMicros(time));
}

constexpr char kTimeParam[] =
    "timestamptz 'epoch' + $%d::bigint * interval '1 microsecond'";

std::string ReferenceName(const std::string& tenant, const std::string& kind,
                          const std::string& id) {
  return id.empty() ? "" : absl::StrCat("tenants/", tenant, "/", kind, "/", id);
}

StoredPost PostFromRow(const std::string& tenant, const pqxx::row& row) {
  StoredPost stored;
  stored.tenant = tenant;
  stored.id = row[0].as<std::string>();
  stored.space = row[2].as<std::string>();
  stored.category = row[3].as<std::string>();
  stored.in_reply_to = row[4].as<std::string>();
  stored.in_reply_to_comment = row[5].as<std::string>();
  stored.thread_root = row[6].as<std::string>();
  stored.author = row[7].as<std::string>();
  stored.author_is_service = row[8].as<bool>();
  stored.unscreened = row[15].as<bool>();
  stored.version = row[36].as<int64_t>();

  v1::Post& post = stored.post;
  // Kind-specific details first: the columns below overwrite their parts.
  post.ParseFromString(pqxx::binarystring(row[17]).str());
  post.set_name(PostResourceName(tenant, stored.id));
  post.set_kind(static_cast<common::ContentKind>(row[1].as<int>()));
  post.set_space(ReferenceName(tenant, "spaces", stored.space));
  if (!stored.category.empty()) {
    post.set_category(
        absl::StrCat(post.space(), "/categories/", stored.category));
  }
  post.set_in_reply_to(ReferenceName(tenant, "posts", stored.in_reply_to));
  post.set_in_reply_to_comment(
      ReferenceName(tenant, "posts", stored.in_reply_to_comment));
  post.set_thread_root(PostResourceName(tenant, stored.thread_root));

  common::MemberRef& author = *post.mutable_author();
  if (stored.author.empty() || (!row[44].is_null() && row[44].as<bool>())) {
    author.set_erased(true);
  } else {
    author.set_name(ReferenceName(
        tenant, stored.author_is_service ? "serviceAccounts" : "members",
        stored.author));
    if (!row[42].is_null()) author.set_display_name(row[42].as<std::string>());
    if (!row[43].is_null()) author.set_avatar_uri(row[43].as<std::string>());
    for (absl::string_view badge :
         absl::StrSplit(row[9].as<std::string>(), ',', absl::SkipEmpty())) {
      int value = 0;
      if (absl::SimpleAtoi(badge, &value) &&
          common::MemberBadge_IsValid(value)) {
        author.add_badges(static_cast<common::MemberBadge>(value));
      }
    }
  }
  post.set_title(row[10].as<std::string>());
  post.set_body(row[11].as<std::string>());
  post.set_language(row[12].as<std::string>());
  for (std::string& tag : pg::ParseTextArray(row[13])) post.add_tags(tag);
  post.set_state(static_cast<common::PostState>(row[14].as<int>()));
  post.mutable_moderation()->ParseFromString(pqxx::binarystring(row[16]).str());

  switch (post.kind()) {
    case common::CONTENT_KIND_QUESTION: {
      v1::QuestionDetails& question = *post.mutable_question();
      question.set_accepted_answer(
          ReferenceName(tenant, "posts", row[18].as<std::string>()));
      SetTime(row[19], [&] { return question.mutable_accept_time(); });
      question.set_answer_count(row[20].as<int>());
      SetTime(row[21], [&] { return question.mutable_first_answer_time(); });
      break;
    }
    case common::CONTENT_KIND_ANSWER:
      post.mutable_answer()->set_accepted(row[22].as<bool>());
      post.mutable_answer()->set_automated(row[23].as<bool>());
      break;
    case common::CONTENT_KIND_IDEA: {
      v1::IdeaDetails& idea = *post.mutable_idea();
      idea.set_status(static_cast<common::IdeaStatus>(row[24].as<int>()));
      SetTime(row[25], [&] { return idea.mutable_status_update_time(); });
      idea.set_merged_into(
          ReferenceName(tenant, "posts", row[26].as<std::string>()));
      idea.set_merged_count(row[27].as<int>());
      break;
    }
    case common::CONTENT_KIND_REVIEW: {
      v1::ReviewDetails& review = *post.mutable_review();
      review.set_product(
          ReferenceName(tenant, "products", row[28].as<std::string>()));
      review.set_rating(row[29].as<int>());
      review.set_verified_customer(row[30].as<bool>());
      break;
    }
    case common::CONTENT_KIND_CONTEST_ENTRY: {
      v1::ContestEntryDetails& entry = *post.mutable_contest_entry();
      const std::string round = row[31].as<std::string>();
      const size_t slash = round.find('/');
      if (slash != std::string::npos) {
        entry.set_round(absl::StrCat("tenants/", tenant, "/contests/",
                                     round.substr(0, slash), "/rounds/",
                                     round.substr(slash + 1)));
      }
      entry.set_prize_rank(row[32].as<int>());
      break;
    }
    default:
      break;
  }
  post.set_comment_count(row[33].as<int>());
  post.set_follower_count(row[34].as<int>());
  post.set_revision_id(row[35].as<std::string>());
  SetTime(row[37], [&] { return post.mutable_create_time(); });
  SetTime(row[38], [&] { return post.mutable_update_time(); });
  SetTime(row[39], [&] { return post.mutable_publish_time(); });
  SetTime(row[40], [&] { return post.mutable_edit_time(); });
  SetTime(row[41], [&] { return post.mutable_last_activity_time(); });
  post.set_etag(api::EtagOf(stored.version));
  return stored;
}

// The part of `post` kept in the details column: its oneof only, minus
// what has columns.
std::string DetailsOf(const v1::Post& post) {
  v1::Post details;
  switch (post.details_case()) {
    case v1::Post::kArticle:
      *details.mutable_article() = post.article();
      break;
    case v1::Post::kReview:
      details.mutable_review()->set_pros(post.review().pros());
      details.mutable_review()->set_cons(post.review().cons());
      break;
    case v1::Post::kContestEntry:
      details.mutable_contest_entry()->set_image_uri(
          post.contest_entry().image_uri());
      details.mutable_contest_entry()->set_video_uri(
          post.contest_entry().video_uri());
      break;
    case v1::Post::kIdea:
      if (post.idea().has_official_response()) {
        *details.mutable_idea()->mutable_official_response() =
            post.idea().official_response();
      }
      break;
    default:
      break;
  }
  return details.SerializeAsString();
}

std::string IdOfName(const std::string& name) {
  return name.empty() ? "" : name.substr(name.rfind('/') + 1);
}

// "contest/round" of a round's resource name.
std::string RoundIdOf(const std::string& name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() != 6) return "";
  return absl::StrCat(parts[3], "/", parts[5]);
}

}  // namespace

std::string PostResourceName(const std::string& tenant, const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/posts/", id);
}

std::string NewContentId() {
  constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  unsigned char bytes[10];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) std::abort();
  std::string id;
  uint64_t bits = 0;
  int available = 0;
  for (unsigned char byte : bytes) {
    bits = (bits << 8) | byte;
    available += 8;
    while (available >= 5) {
      id.push_back(kAlphabet[(bits >> (available - 5)) & 31]);
      available -= 5;
    }
  }
  return id;
}

std::optional<StoredPost> FindPost(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& id, bool lock) {
  const pqxx::result rows =
      tx.exec_params(absl::StrCat("SELECT ", kPostColumns, kPostFrom,
                                  " WHERE p.tenant = $1 AND p.id = $2",
                                  lock ? " FOR UPDATE OF p" : ""),
                     tenant, id);
  if (rows.empty()) return std::nullopt;
  return PostFromRow(tenant, rows[0]);
}

std::vector<StoredPost> FindPosts(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::vector<std::string>& ids) {
  const pqxx::result rows = pg::ExecPrepared(
      tx,
      absl::StrCat("SELECT ", kPostColumns, kPostFrom,
                   " WHERE p.tenant = $1 AND p.id = ANY($2::text[])"),
      tenant, pg::ToTextArray(ids));
  std::vector<StoredPost> posts;
  for (const pqxx::row& row : rows) posts.push_back(PostFromRow(tenant, row));
  return posts;
}

std::vector<StoredPost> QueryPosts(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& tail,
                                   const std::vector<std::string>& params) {
  const std::string sql = absl::StrCat("SELECT ", kPostColumns, kPostFrom,
                                       " WHERE p.tenant = $1 ", tail);
  std::vector<std::string> values;
  values.push_back(tenant);
  values.insert(values.end(), params.begin(), params.end());
  // Each combination of filters is one statement text, prepared once per
  // connection.
  const pqxx::result rows =
      pg::ExecPrepared(tx, sql, pqxx::prepare::make_dynamic_params(values));
  std::vector<StoredPost> posts;
  for (const pqxx::row& row : rows) posts.push_back(PostFromRow(tenant, row));
  return posts;
}

bool InsertPost(pqxx::transaction_base& tx, const NewPost& row) {
  const v1::Post& post = row.post;
  const pqxx::binarystring moderation(post.moderation().SerializeAsString());
  const pqxx::binarystring details(DetailsOf(post));
  const bool published = post.state() == common::POST_STATE_PUBLISHED;
  std::vector<std::string> tags(post.tags().begin(), post.tags().end());
  const std::string now = Micros(row.now);
  const std::string time = absl::StrFormat(kTimeParam, 27);
  const pqxx::result inserted = tx.exec_params(
      absl::StrCat(
          "INSERT INTO posts (tenant, id, kind, space, category, in_reply_to,"
          " in_reply_to_comment, thread_root, author, author_is_service,"
          " author_badges, title, body, language, tags, state, unscreened,"
          " moderation, details, automated, idea_status, product, rating,"
          " verified_customer, round, revision_id, create_time, update_time,"
          " publish_time, last_activity_time, status_update_time, request_id)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::integer[],"
          " $12, $13, $14, $15::text[], $16, $17, $18, $19, $20, $21::smallint,"
          " $22,"
          " $23, $24, $25, $26, ",
          time, ", ", time, ", CASE WHEN $28 THEN ", time, " END, ", time,
          ", CASE WHEN $21::smallint > 0 THEN ", time,
          " END, $29) ON CONFLICT DO NOTHING RETURNING 1"),
      row.tenant, row.id, static_cast<int>(post.kind()), row.space,
      row.category, row.in_reply_to, row.in_reply_to_comment, row.thread_root,
      row.author, row.author_is_service, IntArray(row.author_badges),
      post.title(), post.body(), post.language(), pg::ToTextArray(tags),
      static_cast<int>(post.state()), row.unscreened, moderation, details,
      post.answer().automated(), static_cast<int>(post.idea().status()),
      IdOfName(post.review().product()), post.review().rating(),
      post.review().verified_customer(),
      RoundIdOf(post.contest_entry().round()), post.revision_id(), now,
      published, row.request_id);
  if (inserted.empty()) return false;
  std::optional<StoredPost> stored = FindPost(tx, row.tenant, row.id);
  InsertRevision(tx, *stored, post.revision_id(), row.author,
                 row.author_is_service, post.moderation().verdict(), row.now);
  return true;
}

void UpdatePostRow(pqxx::transaction_base& tx, const StoredPost& stored,
                   absl::Time now) {
  const v1::Post& post = stored.post;
  const pqxx::binarystring moderation(post.moderation().SerializeAsString());
  const pqxx::binarystring details(DetailsOf(post));
  std::vector<std::string> tags(post.tags().begin(), post.tags().end());
  const std::string time = absl::StrFormat(kTimeParam, 12);
  tx.exec_params(
      absl::StrCat("UPDATE posts SET title = $3, body = $4, language = $5,"
                   " tags = $6::text[], category = $7, state = $8::smallint, "
                   "moderation = $9,"
                   " details = $10, unscreened = $11, update_time = ",
                   time,
                   ", publish_time = CASE WHEN $8::smallint = 2 THEN "
                   "coalesce(publish_time, ",
                   time,
                   ") ELSE publish_time END, rating = $13, revision_id = $14,"
                   " version = version + 1 WHERE tenant = $1 AND id = $2"),
      stored.tenant, stored.id, post.title(), post.body(), post.language(),
      pg::ToTextArray(tags), stored.category, static_cast<int>(post.state()),
      moderation, details, stored.unscreened, Micros(now),
      post.review().rating(), post.revision_id());
}

void InsertRevision(pqxx::transaction_base& tx, const StoredPost& stored,
                    const std::string& revision_id, const std::string& editor,
                    bool editor_is_service, common::ModerationVerdict verdict,
                    absl::Time now) {
  const v1::Post& post = stored.post;
  std::vector<std::string> tags(post.tags().begin(), post.tags().end());
  tx.exec_params(
      absl::StrCat("INSERT INTO post_revisions (tenant, post, id, title, body,"
                   " tags, editor, editor_is_service, verdict, create_time)"
                   " VALUES ($1, $2, $3, $4, $5, $6::text[], $7, $8, $9, ",
                   absl::StrFormat(kTimeParam, 10), ")"),
      stored.tenant, stored.id, revision_id, post.title(), post.body(),
      pg::ToTextArray(tags), editor, editor_is_service,
      static_cast<int>(verdict), Micros(now));
}

std::vector<v1::PostRevision> ListRevisionRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& post,
    std::optional<std::pair<int64_t, std::string>> before, int limit) {
  const pqxx::result rows = tx.exec_params(
      "SELECT r.id, r.title, r.body, r.tags, r.editor, r.editor_is_service,"
      " r.verdict, (extract(epoch FROM r.create_time) * 1000000)::bigint,"
      " m.display_name, coalesce(m.erased, false)"
      " FROM post_revisions r LEFT JOIN members m ON m.tenant = r.tenant AND"
      " m.id = r.editor AND NOT r.editor_is_service"
      " WHERE r.tenant = $1 AND r.post = $2 AND (NOT $3 OR"
      " ((extract(epoch FROM r.create_time) * 1000000)::bigint, r.id) <"
      " ($4, $5)) ORDER BY r.create_time DESC, r.id DESC LIMIT $6",
      tenant, post, before.has_value(), before ? before->first : 0,
      before ? before->second : std::string(), limit);
  std::vector<v1::PostRevision> revisions;
  for (const pqxx::row& row : rows) {
    v1::PostRevision& revision = revisions.emplace_back();
    revision.set_name(absl::StrCat(PostResourceName(tenant, post),
                                   "/revisions/", row[0].as<std::string>()));
    revision.set_title(row[1].as<std::string>());
    revision.set_body(row[2].as<std::string>());
    for (std::string& tag : pg::ParseTextArray(row[3])) revision.add_tags(tag);
    const std::string editor = row[4].as<std::string>();
    if (editor.empty() || row[9].as<bool>()) {
      revision.mutable_editor()->set_erased(true);
    } else {
      revision.mutable_editor()->set_name(ReferenceName(
          tenant, row[5].as<bool>() ? "serviceAccounts" : "members", editor));
      if (!row[8].is_null()) {
        revision.mutable_editor()->set_display_name(row[8].as<std::string>());
      }
    }
    revision.set_verdict(
        static_cast<common::ModerationVerdict>(row[6].as<int>()));
    *revision.mutable_create_time() =
        TimeUtil::MicrosecondsToTimestamp(row[7].as<int64_t>());
  }
  return revisions;
}

std::string InsertStatusChange(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const std::string& post,
                               common::IdeaStatus previous,
                               common::IdeaStatus status,
                               const v1::OfficialResponse& response,
                               const std::string& response_author,
                               const std::string& merged_into, absl::Time now) {
  const std::string id = NewContentId();
  tx.exec_params(
      absl::StrCat("INSERT INTO idea_status_changes (tenant, post, id,"
                   " previous_status, status, response_body,"
                   " response_language, response_author, merged_into,"
                   " create_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, ",
                   absl::StrFormat(kTimeParam, 10), ")"),
      tenant, post, id, static_cast<int>(previous), static_cast<int>(status),
      response.body(), response.language(), response_author, merged_into,
      Micros(now));
  return absl::StrCat(PostResourceName(tenant, post), "/statusChanges/", id);
}

std::vector<v1::IdeaStatusChange> ListStatusChangeRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& post,
    std::optional<std::pair<int64_t, std::string>> after, int limit) {
  const pqxx::result rows = tx.exec_params(
      "SELECT c.id, c.previous_status, c.status, c.response_body,"
      " c.response_language, c.response_author, c.merged_into,"
      " (extract(epoch FROM c.create_time) * 1000000)::bigint,"
      " m.display_name, coalesce(m.erased, false)"
      " FROM idea_status_changes c LEFT JOIN members m ON m.tenant = c.tenant"
      " AND m.id = c.response_author"
      " WHERE c.tenant = $1 AND c.post = $2 AND (NOT $3 OR"
      " ((extract(epoch FROM c.create_time) * 1000000)::bigint, c.id) >"
      " ($4, $5)) ORDER BY c.create_time, c.id LIMIT $6",
      tenant, post, after.has_value(), after ? after->first : 0,
      after ? after->second : std::string(), limit);
  std::vector<v1::IdeaStatusChange> changes;
  for (const pqxx::row& row : rows) {
    v1::IdeaStatusChange& change = changes.emplace_back();
    change.set_name(absl::StrCat(PostResourceName(tenant, post),
                                 "/statusChanges/", row[0].as<std::string>()));
    change.set_previous_status(
        static_cast<common::IdeaStatus>(row[1].as<int>()));
    change.set_status(static_cast<common::IdeaStatus>(row[2].as<int>()));
    const auto create_time =
        TimeUtil::MicrosecondsToTimestamp(row[7].as<int64_t>());
    if (!row[3].as<std::string>().empty()) {
      v1::OfficialResponse& response = *change.mutable_official_response();
      response.set_body(row[3].as<std::string>());
      response.set_language(row[4].as<std::string>());
      const std::string author = row[5].as<std::string>();
      if (author.empty() || row[9].as<bool>()) {
        response.mutable_author()->set_erased(true);
      } else {
        response.mutable_author()->set_name(
            ReferenceName(tenant, "members", author));
        if (!row[8].is_null()) {
          response.mutable_author()->set_display_name(row[8].as<std::string>());
        }
        response.mutable_author()->add_badges(common::MEMBER_BADGE_STAFF);
      }
      *response.mutable_create_time() = create_time;
    }
    change.set_merged_into(
        ReferenceName(tenant, "posts", row[6].as<std::string>()));
    *change.mutable_create_time() = create_time;
  }
  return changes;
}

AuthorFacts FindAuthorFacts(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& member) {
  const pqxx::result rows = tx.exec_params(
      "SELECT language, verified_customer FROM members WHERE tenant = $1 AND"
      " id = $2 AND NOT erased",
      tenant, member);
  if (rows.empty()) return {};
  return {rows[0][0].as<std::string>(), rows[0][1].as<bool>(), true};
}

std::optional<TenantFacts> FindTenantFacts(pqxx::transaction_base& tx,
                                           const std::string& tenant) {
  const pqxx::result rows = tx.exec_params(
      "SELECT default_language, allowed_languages FROM tenants WHERE id = $1",
      tenant);
  if (rows.empty()) return std::nullopt;
  return TenantFacts{rows[0][0].as<std::string>(),
                     pg::ParseTextArray(rows[0][1])};
}

}  // namespace agora::content
