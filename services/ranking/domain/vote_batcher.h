// Group commit of votes. Concurrent CastVote/RetractVote calls are queued
// and written together: one PostgreSQL transaction (a handful of
// statements whatever the batch size, one synchronous commit) and two
// pipelined Redis round trips per batch, instead of a transaction and a
// dozen round trips per vote. A batch closes when it is full or when the
// oldest call has waited `max_wait`; two votes of one member on one post
// and axis never share a batch (the later waits for the next), so each
// call's answer is exactly what it changed.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_VOTE_BATCHER_H_
#define AGORA_SERVICES_RANKING_DOMAIN_VOTE_BATCHER_H_

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "agora/common/v1/common.pb.h"
#include "services/ranking/domain/ranking_context.h"
#include "services/ranking/domain/vote_model.h"

namespace agora::ranking {

// One member's vote or retraction, validated for shape by the caller.
struct VoteCommand {
  std::string tenant;
  std::string post;   // id part of the post's name
  std::string voter;  // member id
  int trust_level = 0;
  VoteAxis axis = common::v1::VOTE_AXIS_PRIMARY;
  bool retract = false;
  VoteChoice choice = common::v1::VOTE_CHOICE_UNSPECIFIED;
  int stars = 0;
  std::string request_id;
  common::v1::Actor actor;
};

struct VoteResult {
  absl::Status status;
  bool changed = false;
  std::optional<StoredVote> vote;  // the vote now (nullopt: none)
  PostInfo post;
  EvaluationMode mode = common::v1::EVALUATION_MODE_UNSPECIFIED;
  bool helpfulness = false;
  std::optional<TallyView> tally;  // after the vote
};

struct BatcherOptions {
  int max_batch = 256;
  absl::Duration max_wait = absl::Milliseconds(1);
  int writers = 2;  // batches in flight at once
};

class VoteBatcher {
 public:
  VoteBatcher(RankingContext& context, BatcherOptions options);
  VoteBatcher(const VoteBatcher&) = delete;
  VoteBatcher& operator=(const VoteBatcher&) = delete;
  ~VoteBatcher();  // finishes what is queued, then stops

  // Queues the command; `done` runs on a writer thread with the result.
  void Submit(VoteCommand command, std::function<void(VoteResult)> done);
  // Queues and waits.
  VoteResult Run(VoteCommand command);

 private:
  struct Pending {
    VoteCommand command;
    std::function<void(VoteResult)> done;
    absl::Time enqueue_time;
  };
  void WriterLoop();
  std::vector<Pending> TakeBatch();

  RankingContext& context_;
  const BatcherOptions options_;
  absl::Mutex mu_;
  std::deque<Pending> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::vector<std::thread> writers_;
};

// Writes one batch (what a writer thread does): exposed for tests.
std::vector<VoteResult> WriteVoteBatch(RankingContext& context,
                                       const std::vector<VoteCommand>& batch);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_VOTE_BATCHER_H_
