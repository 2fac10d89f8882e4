// A post as share serves it: from PostgreSQL's projection, or from its
// cached copy in Redis (one string: "<published 0/1>\x1f<version>\x1f..."
// — the cache script compares versions on that prefix).
#ifndef AGORA_SERVICES_SHARE_DOMAIN_POST_VIEW_H_
#define AGORA_SERVICES_SHARE_DOMAIN_POST_VIEW_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/share/domain/share_context.h"
#include "services/share/repository/post_store.h"

namespace agora::share {

std::string EncodePost(const PostRow& post);
// nullopt when `value` is not an encoded post.
std::optional<PostRow> DecodePost(const std::string& tenant,
                                  const std::string& value);

// Writes the post to Redis' cache unless a newer version is there.
absl::Status CachePost(ShareContext& context, const PostRow& post);

// The post from PostgreSQL; NOT_FOUND naming `field` when share has never
// heard of it.
absl::StatusOr<PostRow> LoadKnownPost(ShareContext& context,
                                      const std::string& tenant,
                                      const std::string& post,
                                      absl::string_view field);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_POST_VIEW_H_
