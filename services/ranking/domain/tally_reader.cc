#include "services/ranking/domain/tally_reader.h"

#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/domain/post_repair.h"

namespace agora::ranking {

absl::StatusOr<std::vector<std::optional<TallyView>>> ReadTallies(
    RankingContext& context, const std::string& tenant,
    const std::vector<std::string>& posts) {
  std::vector<std::optional<TallyView>> tallies(posts.size());
  std::vector<bool> found(posts.size(), false);
  absl::StatusOr<int64_t> generation = context.boards.Generation(tenant);
  if (generation.ok()) {
    const RankingKeys names(context.keys, tenant);
    std::vector<redis::Command> commands;
    for (const std::string& post : posts) {
      commands.push_back({"HGETALL", names.Tally(*generation, post)});
    }
    absl::StatusOr<std::vector<redis::Reply>> replies =
        context.redis.Pipeline(commands);
    if (replies.ok()) {
      for (size_t i = 0; i < posts.size(); ++i) {
        const redis::Reply& reply = (*replies)[i];
        if (reply.type == redis::Reply::Type::kArray &&
            !reply.elements.empty()) {
          tallies[i] = ViewFromFields(ParseTallyHash(reply));
          found[i] = true;
        }
      }
    }
  } else if (absl::IsNotFound(generation.status())) {
    context.request_rebuild(tenant);
  }
  for (size_t i = 0; i < posts.size(); ++i) {
    if (found[i]) continue;
    // Missing from Redis: unknown or unpublished post, lost key, or Redis
    // down. PostgreSQL decides, and the repair puts the key back.
    absl::StatusOr<std::optional<TallyView>> counts =
        generation.ok() ? RepairPost(context, tenant, posts[i])
                        : TallyFromDatabase(context, tenant, posts[i]);
    if (!counts.ok() && absl::IsUnavailable(counts.status()) &&
        generation.ok()) {
      counts = TallyFromDatabase(context, tenant, posts[i]);
    }
    if (!counts.ok()) return counts.status();
    tallies[i] = *counts;
  }
  return tallies;
}

}  // namespace agora::ranking
