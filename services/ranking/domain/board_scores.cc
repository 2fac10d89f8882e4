#include "services/ranking/domain/board_scores.h"

#include "google/protobuf/util/time_util.h"
#include "services/ranking/formulas/best.h"
#include "services/ranking/formulas/controversial.h"
#include "services/ranking/formulas/hot.h"
#include "services/ranking/formulas/top.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

formulas::UpDownVotes UpDownOf(const Counts& counts, EvaluationMode mode) {
  if (mode == common::v1::EVALUATION_MODE_UP_DOWN ||
      mode == common::v1::EVALUATION_MODE_LIKE) {
    return {.ups = counts.ups, .downs = counts.downs};
  }
  if (mode == common::v1::EVALUATION_MODE_NONE) {
    // Reviews without a primary axis rank by helpfulness.
    return {.ups = counts.helpful, .downs = counts.not_helpful};
  }
  // Stars: the net score as ups or downs (hot takes s only).
  const int64_t net = NetScore(counts, mode);
  return {.ups = std::max<int64_t>(net, 0),
          .downs = std::max<int64_t>(-net, 0)};
}

// Star ratings on the controversial board: ratings above the neutral 3
// stars are ups, below it downs (3 stars takes no side), so "many votes,
// evenly split" means many ratings split between the ends. The net score
// of UpDownOf would count |rating sum − 3 × count| as the number of votes
// and put a unanimously loved entry on the board.
formulas::UpDownVotes StarSides(const Counts& counts) {
  return {.ups = counts.histogram[3] + counts.histogram[4],
          .downs = counts.histogram[0] + counts.histogram[1]};
}

formulas::StarHistogram HistogramOf(const Counts& counts) {
  return {.counts = counts.histogram};
}

formulas::Explanation CountExplanation(const char* name, int64_t value,
                                       const char* description) {
  formulas::Explanation explanation;
  explanation.formula = name;
  explanation.inputs.push_back({name, static_cast<double>(value), description});
  explanation.score = static_cast<double>(value);
  explanation.on_board = value > 0;
  return explanation;
}

}  // namespace

bool IsRanked(const PostInfo& post) {
  return post.published && post.kind != common::v1::CONTENT_KIND_COMMENT;
}

formulas::Explanation ExplainTallyBoard(
    v1::Board board, const PostInfo& post, EvaluationMode mode,
    const TallyCounts& counts, const formulas::FormulaParameters& parameters) {
  const bool stars = mode == common::v1::EVALUATION_MODE_STARS;
  const formulas::UpDownVotes votes = UpDownOf(counts.all, mode);
  switch (board) {
    case v1::BOARD_HOT:
      return formulas::ExplainHot(votes, post.first_publish_time, parameters);
    case v1::BOARD_BEST:
      return stars ? formulas::ExplainStarBest(HistogramOf(counts.all),
                                               parameters)
                   : formulas::ExplainBest(votes, parameters);
    case v1::BOARD_TOP:
      return stars ? formulas::ExplainStarTop(HistogramOf(counts.all))
                   : formulas::ExplainTop(votes);
    case v1::BOARD_CONTROVERSIAL:
      return formulas::ExplainControversial(
          stars ? StarSides(counts.all) : votes, parameters);
    case v1::BOARD_MOST_COMMENTED:
      return CountExplanation("comments", counts.comments,
                              "published answers and comments");
    case v1::BOARD_MOST_SHARED:
      return CountExplanation("shares", counts.shares,
                              "shares and human clicks of its short links");
    default:
      return {};
  }
}

std::vector<BoardScore> TallyBoardScores(
    const PostInfo& post, EvaluationMode mode, const TallyCounts& counts,
    const formulas::FormulaParameters& parameters) {
  std::vector<BoardScore> scores;
  for (v1::Board board : kTallyBoards) {
    BoardScore score{board, std::nullopt};
    if (IsRanked(post)) {
      const formulas::Explanation explanation =
          ExplainTallyBoard(board, post, mode, counts, parameters);
      if (explanation.on_board) score.score = explanation.score;
    }
    scores.push_back(score);
  }
  return scores;
}

formulas::FormulaParameters ToFormulaParameters(
    const v1::RankingParameters& proto) {
  formulas::FormulaParameters p;
  if (proto.hot_gravity_seconds() != 0) {
    p.hot_gravity_seconds = proto.hot_gravity_seconds();
  }
  if (proto.has_hot_epoch()) {
    p.hot_epoch = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(proto.hot_epoch()));
  }
  if (proto.best_confidence() != 0) p.best_confidence = proto.best_confidence();
  if (proto.star_scoring() != v1::STAR_SCORING_UNSPECIFIED) {
    p.star_scoring = static_cast<formulas::StarScoring>(proto.star_scoring());
  }
  if (proto.star_prior_mean() != 0) p.star_prior_mean = proto.star_prior_mean();
  if (proto.star_prior_weight() != 0) {
    p.star_prior_weight = proto.star_prior_weight();
  }
  if (proto.controversial_min_votes() != 0) {
    p.controversial_min_votes = proto.controversial_min_votes();
  }
  if (proto.has_trending_recent_window()) {
    p.trending_recent_window = absl::Seconds(
        TimeUtil::DurationToSeconds(proto.trending_recent_window()));
  }
  if (proto.has_trending_baseline_window()) {
    p.trending_baseline_window = absl::Seconds(
        TimeUtil::DurationToSeconds(proto.trending_baseline_window()));
  }
  if (proto.trending_vote_weight() != 0) {
    p.trending_vote_weight = proto.trending_vote_weight();
  }
  if (proto.trending_comment_weight() != 0) {
    p.trending_comment_weight = proto.trending_comment_weight();
  }
  if (proto.trending_visitor_weight() != 0) {
    p.trending_visitor_weight = proto.trending_visitor_weight();
  }
  if (proto.trending_min_events() != 0) {
    p.trending_min_events = proto.trending_min_events();
  }
  if (proto.contribution_weights_size() > 0) {
    p.contribution_weights.clear();
    for (const v1::ContributionWeight& weight : proto.contribution_weights()) {
      p.contribution_weights.push_back(
          {static_cast<formulas::Contribution>(weight.contribution()),
           weight.weight()});
    }
  }
  return p;
}

}  // namespace agora::ranking
