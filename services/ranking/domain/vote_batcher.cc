#include "services/ranking/domain/vote_batcher.h"

#include <map>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "libs/events/typed_event.h"
#include "libs/logging/log.h"
#include "libs/pg/arrays.h"
#include "libs/pg/errors.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/post_repair.h"
#include "services/ranking/domain/tally_reader.h"
#include "services/ranking/repository/post_store.h"
#include "services/ranking/repository/vote_store.h"

namespace agora::ranking {
namespace {

using Key = std::tuple<std::string, std::string, std::string, int>;

Key KeyOf(const VoteCommand& command) {
  return {command.tenant, command.post, command.voter,
          static_cast<int>(command.axis)};
}

VoteResult Failed(absl::Status status) {
  VoteResult result;
  result.status = std::move(status);
  return result;
}

std::string MemberName(const std::string& tenant, const std::string& id) {
  return id.empty() ? "" : absl::StrCat("tenants/", tenant, "/members/", id);
}

std::string PostName(const std::string& tenant, const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/posts/", id);
}

// What one vote adds to the windowed boards (its net score).
int64_t NetOf(const StoredVote& vote, EvaluationMode mode) {
  TallyFields fields;
  AddVote(vote, mode, 1, fields);
  return NetScore(CountsFromFields(fields).all, mode);
}

std::string IdempotencyLockKey(const VoteCommand& command) {
  return absl::StrCat(command.tenant, "/",
                      command.retract ? "RetractVote" : "CastVote", "/",
                      command.request_id, "/", command.voter);
}

// The answer saved for a retried request_id: the vote and whether it
// changed (the tally is read fresh when replayed).
struct Saved {
  bool changed = false;
  std::optional<StoredVote> vote;
};

std::string SerializeSaved(const VoteResult& result) {
  v1::CastVoteResponse response;
  response.set_changed(result.changed);
  if (result.vote.has_value()) {
    v1::Vote* vote = response.mutable_vote();
    vote->set_axis(result.vote->axis);
    vote->set_choice(result.vote->choice);
    vote->set_stars(result.vote->stars);
    vote->set_status(result.vote->status);
    vote->set_verified_customer(result.vote->verified_customer);
    vote->mutable_create_time()->set_seconds(
        absl::ToUnixSeconds(result.vote->create_time));
    vote->mutable_update_time()->set_seconds(
        absl::ToUnixSeconds(result.vote->update_time));
  }
  return response.SerializeAsString();
}

Saved ParseSaved(const std::string& bytes) {
  v1::CastVoteResponse response;
  Saved saved;
  if (!response.ParseFromString(bytes)) return saved;
  saved.changed = response.changed();
  if (response.has_vote()) {
    StoredVote vote;
    vote.axis = response.vote().axis();
    vote.choice = response.vote().choice();
    vote.stars = response.vote().stars();
    vote.status = response.vote().status();
    vote.verified_customer = response.vote().verified_customer();
    vote.create_time =
        absl::FromUnixSeconds(response.vote().create_time().seconds());
    vote.update_time =
        absl::FromUnixSeconds(response.vote().update_time().seconds());
    saved.vote = vote;
  }
  return saved;
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : bytes) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

// Saved answers of the batch's request ids, by command index, after
// taking their advisory locks in a fixed order (identical retries running
// at once wait for each other).
std::map<size_t, Saved> FindSaved(pqxx::transaction_base& tx,
                                  const std::vector<VoteCommand>& batch) {
  std::vector<std::string> locks, tenants, methods, ids, callers;
  for (const VoteCommand& command : batch) {
    if (command.request_id.empty()) continue;
    locks.push_back(IdempotencyLockKey(command));
    tenants.push_back(command.tenant);
    methods.push_back(command.retract ? "RetractVote" : "CastVote");
    ids.push_back(command.request_id);
    callers.push_back(MemberName(command.tenant, command.voter));
  }
  std::map<size_t, Saved> saved;
  if (locks.empty()) return saved;
  tx.exec_params(
      "SELECT pg_advisory_xact_lock(hashtext(k)) FROM"
      " (SELECT DISTINCT unnest($1::text[]) AS k ORDER BY 1) AS l",
      pg::ToTextArray(locks));
  const pqxx::result rows = tx.exec_params(
      "SELECT tenant, method, request_id, caller, response"
      " FROM idempotent_responses WHERE (tenant, method, request_id, caller)"
      " IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[],"
      " $4::text[]))",
      pg::ToTextArray(tenants), pg::ToTextArray(methods), pg::ToTextArray(ids),
      pg::ToTextArray(callers));
  std::map<std::tuple<std::string, std::string, std::string, std::string>,
           std::string>
      found;
  for (const pqxx::row& row : rows) {
    found[{row[0].as<std::string>(), row[1].as<std::string>(),
           row[2].as<std::string>(), row[3].as<std::string>()}] =
        pqxx::binarystring(row[4]).str();
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    const VoteCommand& command = batch[i];
    if (command.request_id.empty()) continue;
    auto it = found.find(
        {command.tenant, command.retract ? "RetractVote" : "CastVote",
         command.request_id, MemberName(command.tenant, command.voter)});
    if (it != found.end()) saved[i] = ParseSaved(it->second);
  }
  return saved;
}

void SaveAnswers(pqxx::transaction_base& tx,
                 const std::vector<VoteCommand>& batch,
                 const std::vector<VoteResult>& results,
                 const std::map<size_t, Saved>& replayed) {
  std::vector<std::string> tenants, methods, ids, callers, responses;
  for (size_t i = 0; i < batch.size(); ++i) {
    const VoteCommand& command = batch[i];
    if (command.request_id.empty() || replayed.contains(i) ||
        !results[i].status.ok()) {
      continue;
    }
    tenants.push_back(command.tenant);
    methods.push_back(command.retract ? "RetractVote" : "CastVote");
    ids.push_back(command.request_id);
    callers.push_back(MemberName(command.tenant, command.voter));
    responses.push_back(Hex(SerializeSaved(results[i])));
  }
  if (tenants.empty()) return;
  tx.exec_params(
      "INSERT INTO idempotent_responses (tenant, method, request_id, caller,"
      " response) SELECT t, m, r, c, decode(p, 'hex') FROM unnest($1::text[],"
      " $2::text[], $3::text[], $4::text[], $5::text[]) AS x(t, m, r, c, p)",
      pg::ToTextArray(tenants), pg::ToTextArray(methods), pg::ToTextArray(ids),
      pg::ToTextArray(callers), pg::ToTextArray(responses));
}

// The vote's status for a voter: held while a young, unverified account.
// A voter identity never announced counts only when their token's trust
// level says they are past the first level.
v1::Vote::Status StatusFor(const VoteCommand& command,
                           const std::optional<MemberInfo>& member,
                           const v1::VoteSettings& settings, absl::Time now) {
  const absl::Duration min_age =
      absl::Seconds(settings.min_account_age().seconds());
  if (!member.has_value()) {
    return command.trust_level > 0 || min_age == absl::ZeroDuration()
               ? v1::Vote::STATUS_COUNTED
               : v1::Vote::STATUS_HELD;
  }
  if (member->verified_customer &&
      settings.verified_customers_skip_age_hold()) {
    return v1::Vote::STATUS_COUNTED;
  }
  return now - member->register_time >= min_age ? v1::Vote::STATUS_COUNTED
                                                : v1::Vote::STATUS_HELD;
}

events::v1::Event VoteEvent(const VoteCommand& command,
                            const VoteResult& result,
                            const std::optional<StoredVote>& before,
                            absl::Time now) {
  events::v1::Event event = events::NewEvent(
      events::v1::PRODUCER_RANKING, command.tenant, command.actor,
      PostName(command.tenant, command.post), now);
  common::v1::TargetRef target;
  target.set_kind(result.post.kind);
  target.set_name(PostName(command.tenant, command.post));
  const std::string author = MemberName(command.tenant, result.post.author);
  const std::string voter = MemberName(command.tenant, command.voter);
  auto weight = [](const StoredVote& vote) {
    return vote.status == v1::Vote::STATUS_COUNTED ? 1.0 : 0.0;
  };
  if (!result.vote.has_value()) {
    events::v1::VoteRetracted* retracted = event.mutable_vote_retracted();
    *retracted->mutable_target() = target;
    retracted->set_target_author(author);
    retracted->set_voter(voter);
    retracted->set_axis(command.axis);
    retracted->set_previous_choice(before->choice);
    retracted->set_previous_stars(before->stars);
    retracted->set_previous_weight(weight(*before));
  } else if (!before.has_value()) {
    events::v1::VoteCast* cast = event.mutable_vote_cast();
    *cast->mutable_target() = target;
    cast->set_target_author(author);
    cast->set_voter(voter);
    cast->set_axis(command.axis);
    cast->set_choice(result.vote->choice);
    cast->set_stars(result.vote->stars);
    cast->set_weight(weight(*result.vote));
    cast->set_verified_customer(result.vote->verified_customer);
  } else {
    events::v1::VoteChanged* changed = event.mutable_vote_changed();
    *changed->mutable_target() = target;
    changed->set_target_author(author);
    changed->set_voter(voter);
    changed->set_axis(command.axis);
    changed->set_previous_choice(before->choice);
    changed->set_previous_stars(before->stars);
    changed->set_choice(result.vote->choice);
    changed->set_stars(result.vote->stars);
    changed->set_weight(weight(*result.vote));
  }
  return event;
}

// Validates a command against its post; OK or the error for the caller.
absl::Status CheckCommand(const VoteCommand& command,
                          const std::optional<PostInfo>& post,
                          EvaluationMode mode, bool helpfulness) {
  if (!post.has_value()) {
    return absl::NotFoundError(absl::StrCat(
        "target: no post ", PostName(command.tenant, command.post)));
  }
  if (command.retract) return absl::OkStatus();
  if (!post->published) {
    return status::WithReason(
        absl::FailedPreconditionError("target: the post is not published"),
        "TARGET_NOT_PUBLISHED");
  }
  if (!post->author.empty() && post->author == command.voter) {
    return status::WithReason(
        absl::FailedPreconditionError("target: members cannot vote for their "
                                      "own posts"),
        "SELF_VOTE");
  }
  return CheckChoice(mode, helpfulness, command.choice, command.stars);
}

// Brings Redis up to date with the batch's changes and fills each result's
// tally. Never fails a vote: what Redis misses is recorded for repair.
void UpdateRedis(RankingContext& context, const std::vector<VoteCommand>& batch,
                 std::vector<VoteResult>& results,
                 const std::map<size_t, std::optional<StoredVote>>& befores) {
  // One change per post, summing the batch's votes on it.
  std::map<std::pair<std::string, std::string>, TallyChange> by_post;
  for (const auto& [i, before] : befores) {
    const VoteResult& result = results[i];
    TallyChange& change = by_post[{result.post.tenant, result.post.id}];
    change.post = result.post;
    change.mode = result.mode;
    const absl::TimeZone zone = context.settings.TimeZone(result.post.tenant);
    if (before.has_value()) {
      AddVote(*before, result.mode, -1, change.delta);
      change.day_delta[absl::ToCivilDay(before->update_time, zone)].net -=
          NetOf(*before, result.mode);
    }
    if (result.vote.has_value()) {
      AddVote(*result.vote, result.mode, 1, change.delta);
      change.day_delta[absl::ToCivilDay(result.vote->update_time, zone)].net +=
          NetOf(*result.vote, result.mode);
    }
  }
  std::vector<TallyChange> changes;
  for (auto& [key, change] : by_post) changes.push_back(std::move(change));
  std::map<std::pair<std::string, std::string>, std::optional<TallyView>>
      tallies;
  absl::StatusOr<std::vector<AppliedChange>> applied =
      context.boards.Apply(changes);
  for (size_t n = 0; n < changes.size(); ++n) {
    const PostInfo& post = changes[n].post;
    std::optional<TallyView> counts;
    if (applied.ok() && (*applied)[n].outcome == WriteOutcome::kWritten) {
      counts = (*applied)[n].view;
    } else {
      if (applied.ok() &&
          (*applied)[n].outcome == WriteOutcome::kNeedsRebuild) {
        context.request_rebuild(post.tenant);
      }
      absl::StatusOr<std::optional<TallyView>> repaired =
          applied.ok() && (*applied)[n].outcome == WriteOutcome::kNeedsRepair
              ? RepairPost(context, post.tenant, post.id)
              : absl::StatusOr<std::optional<TallyView>>(
                    absl::UnavailableError("redis"));
      if (!repaired.ok()) {
        (void)RecordPendingRepairs(context, post.tenant, {post.id});
        repaired = TallyFromDatabase(context, post.tenant, post.id);
      }
      if (repaired.ok()) counts = *repaired;
    }
    tallies[{post.tenant, post.id}] = counts;
  }
  if (!applied.ok()) {
    logging::Warn("ranking: Redis missed a batch of votes; recorded for repair",
                  {{"error", applied.status().ToString()},
                   {"posts", std::to_string(changes.size())}});
  }
  // Results of unchanged votes, and of posts not in `tallies`, read theirs.
  for (size_t i = 0; i < results.size(); ++i) {
    VoteResult& result = results[i];
    if (!result.status.ok()) continue;
    auto it = tallies.find({result.post.tenant, result.post.id});
    if (it != tallies.end()) {
      result.tally = it->second;
      continue;
    }
    absl::StatusOr<std::vector<std::optional<TallyView>>> read =
        ReadTallies(context, result.post.tenant, {result.post.id});
    if (read.ok()) {
      result.tally = (*read)[0];
      tallies[{result.post.tenant, result.post.id}] = (*read)[0];
    }
  }
}

}  // namespace

std::vector<VoteResult> WriteVoteBatch(RankingContext& context,
                                       const std::vector<VoteCommand>& batch) {
  std::vector<VoteResult> results(batch.size());
  // Settings per tenant (cached; the vote path reads no settings row).
  std::map<std::string, v1::VoteSettings> settings;
  for (const VoteCommand& command : batch) {
    if (settings.contains(command.tenant)) continue;
    absl::StatusOr<v1::VoteSettings> loaded =
        context.settings.VoteSettings(command.tenant);
    settings[command.tenant] = loaded.ok() ? *loaded : DefaultVoteSettings();
  }
  std::map<size_t, std::optional<StoredVote>> befores;  // changed votes
  const absl::Time now = context.now();
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        results.assign(batch.size(), VoteResult{});
        befores.clear();
        const std::map<size_t, Saved> replayed = FindSaved(tx, batch);
        std::vector<std::pair<std::string, std::string>> post_keys, member_keys;
        for (const VoteCommand& command : batch) {
          post_keys.emplace_back(command.tenant, command.post);
          member_keys.emplace_back(command.tenant, command.voter);
        }
        const auto posts = LoadPosts(tx, post_keys);
        const auto members = LoadMembers(tx, member_keys);

        std::vector<VoteWrite> writes;
        std::vector<size_t> write_of;  // command index of each write
        for (size_t i = 0; i < batch.size(); ++i) {
          const VoteCommand& command = batch[i];
          VoteResult& result = results[i];
          auto post = posts.find({command.tenant, command.post});
          const v1::VoteSettings& tenant_settings = settings[command.tenant];
          if (post != posts.end()) {
            result.post = post->second;
            result.mode = EffectiveMode(post->second, tenant_settings);
            result.helpfulness =
                HelpfulnessEnabled(post->second, tenant_settings);
          }
          result.status = CheckCommand(
              command,
              post == posts.end() ? std::nullopt
                                  : std::optional<PostInfo>(post->second),
              result.mode, result.helpfulness);
          if (!result.status.ok()) continue;
          if (auto saved = replayed.find(i); saved != replayed.end()) {
            result.changed = saved->second.changed;
            result.vote = saved->second.vote;
            continue;
          }
          auto member = members.find({command.tenant, command.voter});
          VoteWrite write{.tenant = command.tenant,
                          .target = command.post,
                          .voter = command.voter,
                          .axis = command.axis,
                          .retract = command.retract,
                          .choice = command.choice,
                          .stars = command.stars,
                          .target_author = post->second.author};
          const std::optional<MemberInfo> member_info =
              member == members.end()
                  ? std::nullopt
                  : std::optional<MemberInfo>(member->second);
          write.status = StatusFor(command, member_info, tenant_settings, now);
          write.verified_customer =
              member_info.has_value() && member_info->verified_customer;
          writes.push_back(write);
          write_of.push_back(i);
        }
        const std::vector<VoteWriteResult> written =
            WriteVotes(tx, writes, now);
        std::vector<events::EventRecord> records;
        for (size_t w = 0; w < written.size(); ++w) {
          const size_t i = write_of[w];
          VoteResult& result = results[i];
          result.changed = written[w].changed;
          result.vote = written[w].after;
          if (!result.changed) continue;
          befores[i] = written[w].before;
          absl::StatusOr<events::EventRecord> record = events::ToRecord(
              VoteEvent(batch[i], result, written[w].before, now));
          if (!record.ok()) return record.status();
          records.push_back(*std::move(record));
        }
        absl::Status appended = context.outbox.AppendAll(tx, records);
        if (!appended.ok()) return appended;
        SaveAnswers(tx, batch, results, replayed);
        return absl::OkStatus();
      });
  if (!status.ok()) {
    for (VoteResult& result : results) result = Failed(status);
    return results;
  }
  UpdateRedis(context, batch, results, befores);
  return results;
}

VoteBatcher::VoteBatcher(RankingContext& context, BatcherOptions options)
    : context_(context), options_(options) {
  for (int i = 0; i < std::max(options_.writers, 1); ++i) {
    writers_.emplace_back([this] { WriterLoop(); });
  }
}

VoteBatcher::~VoteBatcher() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& writer : writers_) writer.join();
}

void VoteBatcher::Submit(VoteCommand command,
                         std::function<void(VoteResult)> done) {
  absl::MutexLock lock(&mu_);
  queue_.push_back({std::move(command), std::move(done), absl::Now()});
}

VoteResult VoteBatcher::Run(VoteCommand command) {
  absl::Notification finished;
  VoteResult result;
  Submit(std::move(command), [&](VoteResult r) {
    result = std::move(r);
    finished.Notify();
  });
  finished.WaitForNotification();
  return result;
}

std::vector<VoteBatcher::Pending> VoteBatcher::TakeBatch() {
  absl::MutexLock lock(&mu_);
  // Wait for work, then for the batch to fill or its oldest call to have
  // waited max_wait.
  auto has_work = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || !queue_.empty();
  };
  mu_.Await(absl::Condition(&has_work));
  if (queue_.empty()) return {};
  const absl::Time deadline = queue_.front().enqueue_time + options_.max_wait;
  auto full = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return stopping_ || static_cast<int>(queue_.size()) >= options_.max_batch;
  };
  mu_.AwaitWithDeadline(absl::Condition(&full), deadline);
  std::vector<Pending> batch;
  std::set<Key> keys;
  std::deque<Pending> later;
  while (!queue_.empty() &&
         static_cast<int>(batch.size()) < options_.max_batch) {
    Pending pending = std::move(queue_.front());
    queue_.pop_front();
    if (keys.insert(KeyOf(pending.command)).second) {
      batch.push_back(std::move(pending));
    } else {
      later.push_back(std::move(pending));
    }
  }
  while (!later.empty()) {
    queue_.push_front(std::move(later.back()));
    later.pop_back();
  }
  return batch;
}

void VoteBatcher::WriterLoop() {
  for (;;) {
    std::vector<Pending> batch = TakeBatch();
    if (batch.empty()) {
      absl::MutexLock lock(&mu_);
      if (stopping_ && queue_.empty()) return;
      continue;
    }
    std::vector<VoteCommand> commands;
    for (const Pending& pending : batch) commands.push_back(pending.command);
    std::vector<VoteResult> results;
    try {
      results = WriteVoteBatch(context_, commands);
    } catch (const std::exception& error) {
      results.assign(commands.size(), Failed(pg::StatusFromException(error)));
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      batch[i].done(std::move(results[i]));
    }
  }
}

}  // namespace agora::ranking
