#include "services/share/repository/post_store.h"

#include "absl/time/clock.h"

namespace agora::share {
namespace {

constexpr char kColumns[] =
    "tenant, id, kind, published, title, excerpt, language, author, contest,"
    " (extract(epoch FROM publish_time) * 1000000)::bigint, version";

PostRow RowOf(const pqxx::row& row) {
  PostRow post;
  post.tenant = row[0].as<std::string>();
  post.id = row[1].as<std::string>();
  post.kind = row[2].as<int>();
  post.published = row[3].as<bool>();
  post.title = row[4].as<std::string>();
  post.excerpt = row[5].as<std::string>();
  post.language = row[6].as<std::string>();
  post.author = row[7].as<std::string>();
  post.contest = row[8].as<std::string>();
  if (!row[9].is_null()) {
    post.publish_time = absl::FromUnixMicros(row[9].as<int64_t>());
  }
  post.version = row[10].as<int64_t>();
  return post;
}

std::optional<PostRow> FirstRow(const pqxx::result& rows) {
  if (rows.empty()) return std::nullopt;
  return RowOf(rows[0]);
}

}  // namespace

std::optional<PostRow> LoadPost(pqxx::transaction_base& tx,
                                const std::string& tenant,
                                const std::string& id) {
  return FirstRow(
      tx.exec_params(std::string("SELECT ") + kColumns +
                         " FROM posts WHERE tenant = $1 AND id = $2",
                     tenant, id));
}

PostRow UpsertPublishedPost(pqxx::transaction_base& tx, const PostRow& post) {
  const int64_t micros = post.publish_time.has_value()
                             ? absl::ToUnixMicros(*post.publish_time)
                             : absl::ToUnixMicros(absl::Now());
  return RowOf(tx.exec_params(
      std::string(
          "INSERT INTO posts (tenant, id, kind, published, title, excerpt,"
          " language, author, contest, publish_time)"
          " VALUES ($1, $2, $3, true, $4, $5, $6, $7, $8,"
          " timestamptz 'epoch' + $9::bigint * interval '1 microsecond')"
          " ON CONFLICT (tenant, id) DO UPDATE SET kind = excluded.kind,"
          " published = true, title = excluded.title,"
          " excerpt = excluded.excerpt, language = excluded.language,"
          " author = excluded.author, contest = excluded.contest,"
          " publish_time = excluded.publish_time,"
          " version = posts.version + 1 RETURNING ") +
          kColumns,
      post.tenant, post.id, post.kind, post.title, post.excerpt, post.language,
      post.author, post.contest, micros)[0]);
}

std::optional<PostRow> UpdatePostText(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& id,
                                      const std::string& title,
                                      const std::string& excerpt,
                                      bool published) {
  return FirstRow(
      tx.exec_params(std::string("UPDATE posts SET title = $3, excerpt = $4,"
                                 " published = $5, version = version + 1"
                                 " WHERE tenant = $1 AND id = $2 RETURNING ") +
                         kColumns,
                     tenant, id, title, excerpt, published));
}

std::optional<PostRow> SetPostPublished(pqxx::transaction_base& tx,
                                        const std::string& tenant,
                                        const std::string& id, bool published) {
  return FirstRow(tx.exec_params(
      std::string("UPDATE posts SET published = $3, version = version + 1"
                  " WHERE tenant = $1 AND id = $2 RETURNING ") +
          kColumns,
      tenant, id, published));
}

void ForgetAuthor(pqxx::transaction_base& tx, const std::string& tenant,
                  const std::string& member) {
  tx.exec_params(
      "UPDATE posts SET author = '', version = version + 1"
      " WHERE tenant = $1 AND author = $2",
      tenant, member);
}

}  // namespace agora::share
