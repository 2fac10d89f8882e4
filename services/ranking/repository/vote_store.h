// Votes in PostgreSQL, a batch at a time: one statement per step for the
// whole batch (lock what exists, insert what is new, update what changed,
// delete what is retracted), so a commit carries many votes (group
// commit). Rows are locked before they are read for their old value, so
// two replicas writing the same vote at once cannot both count it.
#ifndef AGORA_SERVICES_RANKING_REPOSITORY_VOTE_STORE_H_
#define AGORA_SERVICES_RANKING_REPOSITORY_VOTE_STORE_H_

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/ranking/domain/vote_model.h"

namespace agora::ranking {

struct VoteWrite {
  std::string tenant;
  std::string target;  // post id
  std::string voter;   // member id
  VoteAxis axis = common::v1::VOTE_AXIS_PRIMARY;
  bool retract = false;
  // For casts:
  VoteChoice choice = common::v1::VOTE_CHOICE_UNSPECIFIED;
  int stars = 0;
  v1::Vote::Status status = v1::Vote::STATUS_COUNTED;
  bool verified_customer = false;
  std::string target_author;
};

struct VoteWriteResult {
  bool changed = false;
  std::optional<StoredVote> before;  // nullopt: there was no vote
  std::optional<StoredVote> after;   // nullopt: there is none now
};

// Applies the writes (no two for the same tenant, target, voter and axis)
// at `now`. One result per write, in order.
std::vector<VoteWriteResult> WriteVotes(pqxx::transaction_base& tx,
                                        const std::vector<VoteWrite>& writes,
                                        absl::Time now);

// A page of votes, most recently changed first, for ListVotes and exports:
// on one target, by one voter, or both; `axis` 0 for both axes. The
// position is the last row's (update time, target, voter, axis).
struct VoteRow {
  std::string target;
  std::string voter;
  StoredVote vote;
};
struct VotePosition {
  int64_t update_micros = 0;
  std::string target;
  std::string voter;
  int axis = 0;
};
// One voter's votes on the given posts (both axes), in one query: the
// caller's own votes on a page of tallies.
std::vector<VoteRow> VotesOfVoterOn(pqxx::transaction_base& tx,
                                    const std::string& tenant,
                                    const std::string& voter,
                                    const std::vector<std::string>& posts);

std::vector<VoteRow> ListVoteRows(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& target,
                                  const std::string& voter, int axis,
                                  const std::optional<VotePosition>& after,
                                  int limit);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_REPOSITORY_VOTE_STORE_H_
