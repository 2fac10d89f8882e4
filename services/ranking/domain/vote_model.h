// The vote model, without I/O: what a post is to the ranking service, what
// a stored vote is, which votes a post's evaluation mode takes, and how
// each vote adds to a tally. The same functions serve the incremental path
// (one vote's delta), the repair of one post and the rebuild of a tenant,
// so Redis and PostgreSQL can only agree.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_VOTE_MODEL_H_
#define AGORA_SERVICES_RANKING_DOMAIN_VOTE_MODEL_H_

#include <array>
#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "agora/common/v1/common.pb.h"
#include "agora/ranking/v1/ranking.pb.h"

namespace agora::ranking {

using common::v1::ContentKind;
using common::v1::EvaluationMode;
using common::v1::VoteAxis;
using common::v1::VoteChoice;

// A post as content announced it.
struct PostInfo {
  std::string tenant;
  std::string id;
  ContentKind kind = common::v1::CONTENT_KIND_UNSPECIFIED;
  std::string space;     // id part, "" when none
  std::string category;  // id part, "" when none
  std::string round;     // "{contest}.{round}", "" when none
  std::string in_reply_to;
  std::string author;  // member id, "" for service accounts / erased
  EvaluationMode announced_mode = common::v1::EVALUATION_MODE_UNSPECIFIED;
  bool published = false;
  absl::Time first_publish_time;
};

// A vote as stored (status as in agora.ranking.v1.Vote.Status).
struct StoredVote {
  VoteAxis axis = common::v1::VOTE_AXIS_PRIMARY;
  VoteChoice choice = common::v1::VOTE_CHOICE_UNSPECIFIED;
  int stars = 0;
  v1::Vote::Status status = v1::Vote::STATUS_COUNTED;
  bool verified_customer = false;
  absl::Time create_time;
  absl::Time update_time;
};

// Counts of counted votes (VoteCounts of the contract).
struct Counts {
  int64_t ups = 0;
  int64_t downs = 0;
  int64_t rating_count = 0;
  int64_t rating_sum = 0;
  std::array<int64_t, 5> histogram{};  // 1..5 stars
  int64_t helpful = 0;
  int64_t not_helpful = 0;
  bool operator==(const Counts&) const = default;
};

struct TallyCounts {
  Counts all;
  Counts verified;       // votes of verified customers only
  int64_t held = 0;      // votes held at weight 0
  int64_t comments = 0;  // published answers and comments
  int64_t shares = 0;    // shares and human clicks
  bool operator==(const TallyCounts&) const = default;
};

// A tally with what a reader needs to show it: the post's kind, mode and
// whether it takes helpfulness votes (kept in the Redis hash beside the
// counts, so list pages read no PostgreSQL row).
struct TallyView {
  ContentKind kind = common::v1::CONTENT_KIND_UNSPECIFIED;
  EvaluationMode mode = common::v1::EVALUATION_MODE_UNSPECIFIED;
  bool helpfulness = false;
  TallyCounts counts;
};

// Redis hash fields of a tally and their changes: "u", "d", "rc", "rs",
// "s1".."s5", "hp", "nh", the same with a "v" prefix for verified
// customers, "held", "cc", "sc".
using TallyFields = std::map<std::string, int64_t>;

// The mode a post takes: the one content announced, else the tenant's
// setting for the post's kind, else the built-in default of the kind.
EvaluationMode EffectiveMode(const PostInfo& post,
                             const v1::VoteSettings& settings);
bool HelpfulnessEnabled(const PostInfo& post, const v1::VoteSettings& settings);

// INVALID_ARGUMENT naming `choice` (reason VOTE_MODE_MISMATCH) when the
// post's mode does not take it, or `stars` when not 1-5 with STARS (or not
// 0 otherwise).
absl::Status CheckChoice(EvaluationMode mode, bool helpfulness,
                         VoteChoice choice, int stars);

// The axis a choice belongs to.
VoteAxis AxisOf(VoteChoice choice);

// Adds `sign` (+1, -1) times the vote's contribution to `fields`: nothing
// for reversed or inactive votes or a choice the post's current mode does
// not count (a like counts as an up vote, an up vote as a like); `held`
// for held votes.
void AddVote(const StoredVote& vote, EvaluationMode mode, int sign,
             TallyFields& fields);

// Applies `fields` to `counts` (the Redis hash read back, or the sum of a
// post's votes from PostgreSQL).
TallyCounts CountsFromFields(const TallyFields& fields);
TallyFields FieldsFromCounts(const TallyCounts& counts);
// The whole hash: counts plus "kind", "mode", "hf".
TallyView ViewFromFields(const TallyFields& fields);
TallyFields FieldsFromView(const TallyView& view);

// ups − downs; stars: rating sum − 3 × rating count; NONE mode: helpful −
// not helpful. The `s` of hot and top.
int64_t NetScore(const Counts& counts, EvaluationMode mode);

// The tally message of a post (caller's votes left unset).
v1::Tally ToTallyProto(const std::string& tenant, const std::string& post,
                       const TallyView& view);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_VOTE_MODEL_H_
