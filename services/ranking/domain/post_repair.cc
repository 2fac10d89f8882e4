#include "services/ranking/domain/post_repair.h"

#include "libs/pg/transaction.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

struct PostState {
  std::optional<PostInfo> post;
  TallyView view;
  DaySeries days;

  // The tally a published post has; nullopt otherwise.
  std::optional<TallyView> Tally() const {
    if (!post.has_value() || !post->published) return std::nullopt;
    return view;
  }
};

absl::StatusOr<PostState> ReadPostState(RankingContext& context,
                                        const std::string& tenant,
                                        const std::string& id, bool with_days) {
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(tenant);
  if (!settings.ok()) return settings.status();
  const std::string zone = context.settings.TimeZone(tenant).name();
  PostState state;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        state.post = LoadPost(tx, tenant, id);
        if (!state.post.has_value()) return absl::OkStatus();
        state.view.kind = state.post->kind;
        state.view.mode = EffectiveMode(*state.post, *settings);
        state.view.helpfulness = HelpfulnessEnabled(*state.post, *settings);
        state.view.counts = ComputeTally(tx, *state.post, state.view.mode);
        if (with_days) {
          state.days = ComputeDays(tx, *state.post, state.view.mode, zone,
                                   context.now());
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return state;
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
  const absl::Time started = context.now();
  absl::StatusOr<PostState> state = ReadPostState(context, tenant, post, true);
  if (!state.ok()) return state.status();
  if (!state->post.has_value()) return std::nullopt;
  const absl::CivilDay today =
      absl::ToCivilDay(context.now(), context.settings.TimeZone(tenant));
  absl::StatusOr<WriteOutcome> outcome = context.boards.WritePost(
      *state->post, state->Tally(), state->days, today);
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
  if (outcome.ok() && *outcome == WriteOutcome::kWritten) {
    (void)pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
      ClearPendingRepair(tx, tenant, post, started);
      return absl::OkStatus();
    });
  } else {
    (void)RecordPendingRepairs(context, tenant, {post});
  }
  return state->Tally();
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
