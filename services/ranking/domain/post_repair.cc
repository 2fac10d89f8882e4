#include "services/ranking/domain/post_repair.h"

#include "libs/pg/transaction.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

// Rewrites of one post that votes may disturb before it is left to the
// repairer's next round.
constexpr int kRepairAttempts = 5;

struct PostState {
  std::optional<PostInfo> post;
  TallyView view;
  DaySeries days;
  // The post's pending-repair mark as it was before the post was read; ""
  // when it had none. Only this version is cleared after the write.
  std::string pending_version;

  // The tally a published post has; nullopt otherwise.
  std::optional<TallyView> Tally() const {
    if (!post.has_value() || !post->published) return std::nullopt;
    return view;
  }
};

absl::StatusOr<PostState> ReadPostState(RankingContext& context,
                                        const std::string& tenant,
                                        const std::string& id,
                                        bool for_repair) {
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(tenant);
  if (!settings.ok()) return settings.status();
  const std::string zone = context.settings.TimeZone(tenant).name();
  PostState state;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        // The mark first: each statement reads committed data anew, so a
        // change committed after this read is marked again under a newer
        // version, which the clear below leaves for the next repair.
        if (for_repair) {
          state.pending_version = PendingRepairVersion(tx, tenant, id);
        }
        state.post = LoadPost(tx, tenant, id);
        if (!state.post.has_value()) return absl::OkStatus();
        state.view.kind = state.post->kind;
        state.view.mode = EffectiveMode(*state.post, *settings);
        state.view.helpfulness = HelpfulnessEnabled(*state.post, *settings);
        state.view.counts = ComputeTally(tx, *state.post, state.view.mode);
        if (for_repair) {
          state.days = ComputeDays(tx, *state.post, state.view.mode, zone,
                                   context.now());
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return state;
}

// Takes back the mark the repair saw (unless a newer one replaced it).
void ClearPendingRepairSeen(RankingContext& context, const std::string& tenant,
                            const std::string& post, const PostState& state) {
  if (state.pending_version.empty()) return;
  (void)pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    ClearPendingRepair(tx, tenant, post, state.pending_version);
    return absl::OkStatus();
  });
}

// The tally's version in Redis (its "ver" field, bumped by every
// increment and every rewrite), 0 when the tally is missing; nullopt when
// Redis cannot say.
std::optional<int64_t> TallyVersion(RankingContext& context,
                                    const std::string& tenant,
                                    const std::string& post) {
  absl::StatusOr<int64_t> generation = context.boards.Generation(tenant);
  if (!generation.ok()) return std::nullopt;
  absl::StatusOr<redis::Reply> version = context.redis.Run(
      {"HGET", RankingKeys(context.keys, tenant).Tally(*generation, post),
       "ver"});
  if (!version.ok()) return std::nullopt;
  if (version->is_nil()) return 0;
  return version->AsInteger();
}

}  // namespace

absl::StatusOr<std::optional<TallyView>> TallyFromDatabase(
    RankingContext& context, const std::string& tenant,
    const std::string& post) {
  absl::StatusOr<PostState> state = ReadPostState(context, tenant, post, false);
  if (!state.ok()) return state.status();
  return state->Tally();
}

absl::Status RecordPendingRepairs(RankingContext& context,
                                  const std::string& tenant,
                                  const std::vector<std::string>& posts) {
  if (posts.empty()) return absl::OkStatus();
  return pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    MarkPendingRepair(tx, tenant, posts);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::optional<TallyView>> RepairPost(RankingContext& context,
                                                    const std::string& tenant,
                                                    const std::string& post) {
  for (int attempt = 1;; ++attempt) {
    // Votes reach Redis as increments after their commit; this rewrite is
    // absolute. An increment landing between the read of PostgreSQL and
    // the rewrite may be of a vote the read missed, and the rewrite would
    // erase it. Every increment bumps the tally's version, so a version
    // that moved by more than this rewrite's own bump means: read again.
    const std::optional<int64_t> version_before =
        TallyVersion(context, tenant, post);
    absl::StatusOr<PostState> state =
        ReadPostState(context, tenant, post, true);
    if (!state.ok()) return state.status();
    if (!state->post.has_value()) {
      // A post ranking never heard of (a share or moderation event that
      // came first) has nothing in Redis: its mark must not be retried
      // forever.
      ClearPendingRepairSeen(context, tenant, post, *state);
      return std::nullopt;
    }
    const absl::CivilDay today =
        absl::ToCivilDay(context.now(), context.settings.TimeZone(tenant));
    absl::StatusOr<WriteOutcome> outcome = context.boards.WritePost(
        *state->post, state->Tally(), state->days, today, version_before);
    if (outcome.ok() && *outcome == WriteOutcome::kMoved) {
      if (attempt == kRepairAttempts) {
        (void)RecordPendingRepairs(context, tenant, {post});
        return state->Tally();
      }
      continue;  // a vote landed since the read: read again
    }
    if (!outcome.ok()) {
      (void)RecordPendingRepairs(context, tenant, {post});
      return outcome.status();
    }
    if (*outcome == WriteOutcome::kNeedsRebuild) {
      context.request_rebuild(tenant);
    } else if (*outcome == WriteOutcome::kNeedsRepair) {
      // A rebuild swapped generations under us: write again in the new one.
      outcome = context.boards.WritePost(*state->post, state->Tally(),
                                         state->days, today);
    }
    if (!outcome.ok() || *outcome != WriteOutcome::kWritten) {
      (void)RecordPendingRepairs(context, tenant, {post});
      return state->Tally();
    }
    // Without a tally (unpublished post) no increment can land: the
    // scripts refuse them and send the voter here.
    const std::optional<int64_t> version_after =
        state->Tally().has_value() ? TallyVersion(context, tenant, post)
                                   : std::nullopt;
    const bool undisturbed =
        !state->Tally().has_value() ||
        (version_before.has_value() && version_after.has_value() &&
         *version_after == *version_before + 1);
    if (undisturbed) {
      ClearPendingRepairSeen(context, tenant, post, *state);
      return state->Tally();
    }
    if (attempt == kRepairAttempts) {
      // Votes keep coming: the repairer tries again later.
      (void)RecordPendingRepairs(context, tenant, {post});
      return state->Tally();
    }
  }
}

absl::StatusOr<int> RepairPendingPosts(RankingContext& context, int limit) {
  std::vector<std::pair<std::string, std::string>> pending;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        pending = PendingRepairs(tx, limit);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  int repaired = 0;
  for (const auto& [tenant, post] : pending) {
    absl::StatusOr<std::optional<TallyView>> tally =
        RepairPost(context, tenant, post);
    if (!tally.ok()) return tally.status();
    ++repaired;
  }
  return repaired;
}

}  // namespace agora::ranking
