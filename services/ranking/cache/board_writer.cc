#include "services/ranking/cache/board_writer.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "services/ranking/cache/ranking_scripts.h"
#include "services/ranking/domain/board_scores.h"

namespace agora::ranking {
namespace {

// The value a day adds to one windowed board.
int64_t DayValue(const DayCounts& day, v1::Board board) {
  switch (board) {
    case v1::BOARD_TOP:
      return day.net;
    case v1::BOARD_MOST_COMMENTED:
      return day.comments;
    default:
      return day.shares;
  }
}

// Reads the {-3} / {-2, gen} answers of the generation check.
std::optional<WriteOutcome> GenerationProblem(const redis::Reply& reply) {
  if (reply.type != redis::Reply::Type::kArray || reply.elements.empty()) {
    return std::nullopt;
  }
  const int64_t code = reply.elements[0].integer;
  if (code == -3) return WriteOutcome::kNeedsRebuild;
  if (code == -2) return WriteOutcome::kNeedsRepair;
  if (code == -4) return WriteOutcome::kMoved;
  return std::nullopt;
}

}  // namespace

std::string ScoreText(double score) { return absl::StrFormat("%.17g", score); }

TallyFields ParseTallyHash(const redis::Reply& reply) {
  TallyFields fields;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    int64_t value = 0;
    if (absl::SimpleAtoi(reply.elements[i + 1].text, &value)) {
      fields[reply.elements[i].text] = value;
    }
  }
  return fields;
}

BoardWriter::BoardWriter(redis::RedisClient& redis, redis::KeyBuilder keys,
                         ParametersSource parameters)
    : redis_(redis),
      keys_(std::move(keys)),
      parameters_(std::move(parameters)) {}

absl::StatusOr<int64_t> BoardWriter::Generation(const std::string& tenant) {
  {
    absl::MutexLock lock(&mu_);
    auto it = generations_.find(tenant);
    if (it != generations_.end()) return it->second;
  }
  absl::StatusOr<redis::Reply> reply =
      redis_.Run({"GET", RankingKeys(keys_, tenant).Generation()});
  if (!reply.ok()) return reply.status();
  std::optional<int64_t> generation = reply->AsInteger();
  if (!generation.has_value()) {
    return absl::NotFoundError(
        absl::StrCat("tenant ", tenant, " has no leaderboards in Redis"));
  }
  absl::MutexLock lock(&mu_);
  generations_[tenant] = *generation;
  return *generation;
}

void BoardWriter::ForgetGeneration(const std::string& tenant) {
  absl::MutexLock lock(&mu_);
  generations_.erase(tenant);
}

void BoardWriter::AllTimeEntries(int64_t generation, const PostInfo& post,
                                 const std::optional<TallyView>& view,
                                 std::vector<std::string>& keys,
                                 std::vector<std::string>& scores) {
  const RankingKeys names(keys_, post.tenant);
  std::vector<BoardScore> board_scores;
  if (view.has_value()) {
    board_scores = TallyBoardScores(post, view->mode, view->counts,
                                    parameters_(post.tenant));
  } else {
    for (v1::Board board : kTallyBoards) board_scores.push_back({board, {}});
  }
  for (const Scope& scope : ScopesOf(post)) {
    for (const BoardScore& score : board_scores) {
      keys.push_back(names.Board(generation, score.board, scope));
      scores.push_back(score.score.has_value() ? ScoreText(*score.score) : "");
    }
  }
}

absl::StatusOr<std::vector<AppliedChange>> BoardWriter::Apply(
    absl::Span<const TallyChange> changes) {
  std::vector<AppliedChange> results(changes.size());
  std::vector<int64_t> generations(changes.size(), 0);
  // Round trip 1: tallies and day buckets, by increments.
  std::vector<redis::RedisClient::ScriptCall> calls;
  std::vector<size_t> called;
  for (size_t i = 0; i < changes.size(); ++i) {
    const TallyChange& change = changes[i];
    absl::StatusOr<int64_t> generation = Generation(change.post.tenant);
    if (absl::IsNotFound(generation.status())) {
      results[i].outcome = WriteOutcome::kNeedsRebuild;
      continue;
    }
    if (!generation.ok()) return generation.status();
    generations[i] = *generation;
    const RankingKeys names(keys_, change.post.tenant);
    redis::RedisClient::ScriptCall call;
    call.keys = {names.Generation(), names.Tally(*generation, change.post.id),
                 names.RebuildLock(), names.Touched()};
    call.args = {absl::StrCat(*generation), change.post.id,
                 absl::StrCat(change.delta.size())};
    for (const auto& [field, delta] : change.delta) {
      call.args.push_back(field);
      call.args.push_back(absl::StrCat(delta));
    }
    if (IsRanked(change.post)) {
      for (const auto& [day, counts] : change.day_delta) {
        for (v1::Board board : kWindowedBoards) {
          const int64_t delta = DayValue(counts, board);
          if (delta == 0) continue;
          for (const Scope& scope : ScopesOf(change.post)) {
            call.keys.push_back(
                names.DayBucket(*generation, board, scope, day));
            call.args.push_back(absl::StrCat(delta));
            call.args.push_back(absl::StrCat(BucketExpiry(day)));
          }
        }
      }
    }
    calls.push_back(std::move(call));
    called.push_back(i);
  }
  absl::StatusOr<std::vector<redis::Reply>> replies =
      redis_.EvalPipeline(ApplyDeltasScript(), calls);
  if (!replies.ok()) return replies.status();

  // Round trip 2: all-time scores from the counts each change left.
  std::vector<redis::RedisClient::ScriptCall> score_calls;
  for (size_t n = 0; n < called.size(); ++n) {
    const size_t i = called[n];
    const redis::Reply& reply = (*replies)[n];
    if (reply.is_error()) {
      return absl::UnavailableError(
          absl::StrCat("ranking: tally update failed: ", reply.text));
    }
    if (std::optional<WriteOutcome> problem = GenerationProblem(reply)) {
      ForgetGeneration(changes[i].post.tenant);
      results[i].outcome = *problem;
      continue;
    }
    if (reply.elements.size() < 2) {  // {-1}: the tally is missing
      results[i].outcome = WriteOutcome::kNeedsRepair;
      continue;
    }
    results[i].view = ViewFromFields(ParseTallyHash(reply.elements[1]));
    const TallyChange& change = changes[i];
    const RankingKeys names(keys_, change.post.tenant);
    redis::RedisClient::ScriptCall call;
    call.keys = {names.Generation(),
                 names.Tally(generations[i], change.post.id)};
    call.args = {absl::StrCat(generations[i]),
                 absl::StrCat(reply.elements[0].integer), change.post.id};
    AllTimeEntries(generations[i], change.post, results[i].view, call.keys,
                   call.args);
    score_calls.push_back(std::move(call));
  }
  if (!score_calls.empty()) {
    absl::StatusOr<std::vector<redis::Reply>> written =
        redis_.EvalPipeline(WriteScoresScript(), score_calls);
    if (!written.ok()) return written.status();
  }
  return results;
}

absl::StatusOr<WriteOutcome> BoardWriter::WritePost(
    const PostInfo& post, const std::optional<TallyView>& view,
    const DaySeries& days, absl::CivilDay today,
    std::optional<int64_t> expected_version) {
  absl::StatusOr<int64_t> generation = Generation(post.tenant);
  if (absl::IsNotFound(generation.status())) {
    return WriteOutcome::kNeedsRebuild;
  }
  if (!generation.ok()) return generation.status();
  const RankingKeys names(keys_, post.tenant);
  std::vector<std::string> keys = {
      names.Generation(), names.Tally(*generation, post.id),
      names.RebuildLock(), names.Touched(), names.Kinds(*generation)};
  std::vector<std::string> args = {
      absl::StrCat(*generation), post.id,
      IsRanked(post) ? absl::StrCat(static_cast<int>(post.kind)) : "",
      expected_version.has_value() ? absl::StrCat(*expected_version) : ""};
  if (view.has_value()) {
    const TallyFields fields = FieldsFromView(*view);
    args.push_back(absl::StrCat(fields.size()));
    for (const auto& [field, value] : fields) {
      args.push_back(field);
      args.push_back(absl::StrCat(value));
    }
  } else {
    args.push_back("0");
  }
  std::vector<std::string> board_keys, scores;
  AllTimeEntries(*generation, post, IsRanked(post) ? view : std::nullopt,
                 board_keys, scores);
  for (size_t i = 0; i < board_keys.size(); ++i) {
    keys.push_back(board_keys[i]);
    args.push_back(scores[i]);
    args.push_back("0");
  }
  if (!IsRanked(post)) {
    // Cached window unions hold the post too: it leaves them at once.
    for (v1::Board board : kWindowedBoards) {
      for (const Scope& scope : ScopesOf(post)) {
        for (int window : {7, 30}) {
          keys.push_back(
              names.WindowUnion(*generation, board, scope, window, today));
          args.push_back("");
          args.push_back("0");
        }
      }
    }
  }
  for (int back = 0; back < kBucketDays; ++back) {
    const absl::CivilDay day = today - back;
    auto it = days.find(day);
    for (v1::Board board : kWindowedBoards) {
      const int64_t value =
          it == days.end() || !IsRanked(post) ? 0 : DayValue(it->second, board);
      for (const Scope& scope : ScopesOf(post)) {
        keys.push_back(names.DayBucket(*generation, board, scope, day));
        args.push_back(value == 0 ? "" : absl::StrCat(value));
        args.push_back(absl::StrCat(BucketExpiry(day)));
      }
    }
  }
  absl::StatusOr<redis::Reply> reply =
      redis_.Eval(WriteTargetScript(), keys, args);
  if (!reply.ok()) return reply.status();
  if (std::optional<WriteOutcome> problem = GenerationProblem(*reply)) {
    ForgetGeneration(post.tenant);
    return *problem;
  }
  return WriteOutcome::kWritten;
}

void BoardWriter::AppendPostCommands(int64_t generation, const PostInfo& post,
                                     const TallyView& view,
                                     const DaySeries& days,
                                     std::vector<redis::Command>& commands) {
  const RankingKeys names(keys_, post.tenant);
  redis::Command hset = {"HSET", names.Tally(generation, post.id)};
  for (const auto& [field, value] : FieldsFromView(view)) {
    hset.push_back(field);
    hset.push_back(absl::StrCat(value));
  }
  hset.push_back("ver");
  hset.push_back("1");
  commands.push_back(std::move(hset));
  if (!IsRanked(post)) return;
  commands.push_back({"HSET", names.Kinds(generation), post.id,
                      absl::StrCat(static_cast<int>(post.kind))});
  std::vector<std::string> keys, scores;
  AllTimeEntries(generation, post, view, keys, scores);
  for (size_t i = 0; i < keys.size(); ++i) {
    if (scores[i].empty()) continue;
    commands.push_back({"ZADD", keys[i], scores[i], post.id});
  }
  for (const auto& [day, values] : days) {
    for (v1::Board board : kWindowedBoards) {
      const int64_t value = DayValue(values, board);
      if (value == 0) continue;
      for (const Scope& scope : ScopesOf(post)) {
        const std::string key = names.DayBucket(generation, board, scope, day);
        commands.push_back({"ZADD", key, absl::StrCat(value), post.id});
        commands.push_back({"EXPIREAT", key, absl::StrCat(BucketExpiry(day))});
      }
    }
  }
}

}  // namespace agora::ranking
