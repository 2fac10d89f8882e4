// Posts, their revisions and idea status changes in PostgreSQL: the only
// code that knows those tables. A post is read back as the full
// agora.content.v1.Post (author shown from the members table); the domain
// decides who may see which parts.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_POST_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_POST_STORE_H_

#include <cstdint>
#include <optional>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"

namespace agora::content {

// A post as stored, with what the proto does not say directly.
struct StoredPost {
  v1::Post post;
  std::string tenant;
  std::string id;
  // Member id, or service account id when author_is_service; "" once the
  // member was erased.
  std::string author;
  bool author_is_service = false;
  bool unscreened = false;
  int64_t version = 0;
  // Ids inside the tenant ("" when none).
  std::string space;
  std::string category;     // category id within `space`
  std::string in_reply_to;  // post id
  std::string in_reply_to_comment;
  std::string thread_root;  // post id
};

// What a new post row holds besides `post`'s own fields.
struct NewPost {
  std::string tenant;
  std::string id;
  std::string author;
  bool author_is_service = false;
  std::vector<int> author_badges;
  std::string space;
  std::string category;
  std::string in_reply_to;
  std::string in_reply_to_comment;
  std::string thread_root;
  std::string request_id;
  bool unscreened = false;
  absl::Time now;
  // Masked texts, state, moderation and kind-specific details.
  v1::Post post;
};

std::string PostResourceName(const std::string& tenant, const std::string& id);
// A new random id for posts, revisions and status changes: 16 characters
// of [a-z0-9] (80 bits), URL- and Redis-key-safe.
std::string NewContentId();

// `lock`: FOR UPDATE.
std::optional<StoredPost> FindPost(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& id, bool lock = false);
// Several posts at once, in no particular order.
std::vector<StoredPost> FindPosts(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::vector<std::string>& ids);
// Posts matching a WHERE clause over table alias `p` with parameters
// $1 = tenant and the extra ones in order, ORDER BY and LIMIT included in
// `tail`. For the domain's list queries only; `tail` is never built from
// input text, only from fixed fragments.
std::vector<StoredPost> QueryPosts(pqxx::transaction_base& tx,
                                   const std::string& tenant,
                                   const std::string& tail,
                                   const std::vector<std::string>& params);

// Inserts the post and its first revision. False when the id exists.
bool InsertPost(pqxx::transaction_base& tx, const NewPost& post);

// Writes texts, tags, category, state, moderation, details and flags of
// `post` (which must be a FindPost result, changed), bumps the version and
// the update time.
void UpdatePostRow(pqxx::transaction_base& tx, const StoredPost& post,
                   absl::Time now);

// A new revision of the post's current text.
void InsertRevision(pqxx::transaction_base& tx, const StoredPost& post,
                    const std::string& revision_id, const std::string& editor,
                    bool editor_is_service,
                    common::v1::ModerationVerdict verdict, absl::Time now);

std::vector<v1::PostRevision> ListRevisionRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& post,
    std::optional<std::pair<int64_t, std::string>> before, int limit);

// Appends an idea status change; returns its resource name.
std::string InsertStatusChange(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const std::string& post,
                               common::v1::IdeaStatus previous,
                               common::v1::IdeaStatus status,
                               const v1::OfficialResponse& response,
                               const std::string& response_author,
                               const std::string& merged_into, absl::Time now);

std::vector<v1::IdeaStatusChange> ListStatusChangeRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& post,
    std::optional<std::pair<int64_t, std::string>> after, int limit);

// Member facts used when writing: language and verified-customer flag.
struct AuthorFacts {
  std::string language;
  bool verified_customer = false;
  bool known = false;
};
AuthorFacts FindAuthorFacts(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& member);

// Tenant facts: default and allowed languages.
struct TenantFacts {
  std::string default_language;
  std::vector<std::string> allowed_languages;
};
std::optional<TenantFacts> FindTenantFacts(pqxx::transaction_base& tx,
                                           const std::string& tenant);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_POST_STORE_H_
