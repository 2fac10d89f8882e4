// Which boards a post is on and with what score, from its tally and the
// tenant's formula parameters: the one place the formulas meet the posts.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_BOARD_SCORES_H_
#define AGORA_SERVICES_RANKING_DOMAIN_BOARD_SCORES_H_

#include <optional>
#include <vector>

#include "agora/ranking/v1/ranking.pb.h"
#include "services/ranking/domain/vote_model.h"
#include "services/ranking/formulas/explanation.h"
#include "services/ranking/formulas/formula_parameters.h"

namespace agora::ranking {

// The all-time boards scored from a tally (trending and most active
// members are kept by their own writers).
inline constexpr v1::Board kTallyBoards[] = {
    v1::BOARD_HOT,           v1::BOARD_BEST,           v1::BOARD_TOP,
    v1::BOARD_CONTROVERSIAL, v1::BOARD_MOST_COMMENTED, v1::BOARD_MOST_SHARED};

// Boards with day buckets for the DAY/WEEK/MONTH windows.
inline constexpr v1::Board kWindowedBoards[] = {
    v1::BOARD_TOP, v1::BOARD_MOST_COMMENTED, v1::BOARD_MOST_SHARED};

struct BoardScore {
  v1::Board board;
  std::optional<double> score;  // nullopt: not on the board
};

// True for posts that are ranked at all: published, and not comments
// (comments have tallies, not boards).
bool IsRanked(const PostInfo& post);

// One score per board of kTallyBoards (all nullopt for unranked posts).
std::vector<BoardScore> TallyBoardScores(
    const PostInfo& post, EvaluationMode mode, const TallyCounts& counts,
    const formulas::FormulaParameters& parameters);

// Why the post scores what it does on `board` (one of kTallyBoards).
formulas::Explanation ExplainTallyBoard(
    v1::Board board, const PostInfo& post, EvaluationMode mode,
    const TallyCounts& counts, const formulas::FormulaParameters& parameters);

// The tenant's parameters as the formulas take them (unset fields give the
// published defaults).
formulas::FormulaParameters ToFormulaParameters(
    const v1::RankingParameters& parameters);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_BOARD_SCORES_H_
