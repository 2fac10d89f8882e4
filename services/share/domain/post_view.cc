#include "services/share/domain/post_view.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "libs/api/resource_names.h"
#include "libs/pg/transaction.h"
#include "services/share/cache/click_store.h"
#include "services/share/cache/share_keys.h"

namespace agora::share {
namespace {

constexpr char kSeparator = '\x1f';

std::string Clean(const std::string& text) {
  return absl::StrReplaceAll(text, {{"\x1f", " "}});
}

}  // namespace

// The author is left out: nothing on the click path needs it, and an
// erased member's id should not linger in Redis.
std::string EncodePost(const PostRow& post) {
  const std::string separator(1, kSeparator);
  return absl::StrJoin(
      {std::string(post.published ? "1" : "0"), absl::StrCat(post.version),
       absl::StrCat(post.kind), Clean(post.title), Clean(post.excerpt),
       Clean(post.language), std::string(), Clean(post.contest),
       post.publish_time.has_value()
           ? absl::StrCat(absl::ToUnixMicros(*post.publish_time))
           : std::string(),
       Clean(post.id)},
      separator);
}

std::optional<PostRow> DecodePost(const std::string& tenant,
                                  const std::string& value) {
  const std::vector<std::string> parts = absl::StrSplit(value, kSeparator);
  if (parts.size() != 10) return std::nullopt;
  PostRow post;
  post.tenant = tenant;
  post.published = parts[0] == "1";
  int64_t micros = 0;
  if (!absl::SimpleAtoi(parts[1], &post.version) ||
      !absl::SimpleAtoi(parts[2], &post.kind)) {
    return std::nullopt;
  }
  post.title = parts[3];
  post.excerpt = parts[4];
  post.language = parts[5];
  post.author = parts[6];
  post.contest = parts[7];
  if (!parts[8].empty() && absl::SimpleAtoi(parts[8], &micros)) {
    post.publish_time = absl::FromUnixMicros(micros);
  }
  post.id = parts[9];
  return post;
}

absl::Status CachePost(ShareContext& context, const PostRow& post) {
  absl::StatusOr<TenantKeys> keys = KeysOf(context.keys, post.tenant);
  if (!keys.ok()) return keys.status();
  return PutPost(context.redis, keys->Post(post.id), post.version,
                 EncodePost(post), context.post_cache_ttl);
}

absl::StatusOr<PostRow> LoadKnownPost(ShareContext& context,
                                      const std::string& tenant,
                                      const std::string& post,
                                      absl::string_view field) {
  std::optional<PostRow> row;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        row = LoadPost(tx, tenant, post);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (!row.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        field, ": ", api::PostResourceName(tenant, post), " is not known"));
  }
  return *row;
}

}  // namespace agora::share
