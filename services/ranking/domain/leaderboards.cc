#include "services/ranking/domain/leaderboards.h"

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/cache/board_writer.h"
#include "services/ranking/cache/ranking_keys.h"
#include "services/ranking/cache/ranking_scripts.h"
#include "services/ranking/domain/board_scores.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/periodic_boards.h"
#include "services/ranking/domain/tally_reader.h"
#include "services/ranking/formulas/trending.h"
#include "services/ranking/repository/post_store.h"

namespace agora::ranking {
namespace {

using common::v1::TimeWindow;

struct BoardQuery {
  std::string tenant;
  v1::Board board = v1::BOARD_UNSPECIFIED;
  TimeWindow window = common::v1::TIME_WINDOW_ALL_TIME;
  Scope scope;
};

bool IsWindowed(v1::Board board) {
  if (board == v1::BOARD_MOST_ACTIVE_MEMBERS) return true;
  for (v1::Board windowed : kWindowedBoards) {
    if (windowed == board) return true;
  }
  return false;
}

// Validates board, window and scope fields for `tenant`.
absl::StatusOr<BoardQuery> ParseQuery(const std::string& tenant, int board,
                                      int window, const std::string& space,
                                      const std::string& category,
                                      const std::string& round, int kind) {
  BoardQuery query;
  query.tenant = tenant;
  if (!v1::Board_IsValid(board) || board == v1::BOARD_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        "board: required, one of HOT, BEST, TOP, CONTROVERSIAL, "
        "MOST_COMMENTED, TRENDING, MOST_ACTIVE_MEMBERS, MOST_SHARED");
  }
  query.board = static_cast<v1::Board>(board);
  if (query.board == v1::BOARD_MOST_ACTIVE_MEMBERS) {
    if (kind != common::v1::CONTENT_KIND_UNSPECIFIED) {
      return absl::InvalidArgumentError(
          "kind: MOST_ACTIVE_MEMBERS ranks members, not posts of a kind");
    }
    if (!category.empty() || !round.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          category.empty() ? "round" : "category",
          ": MOST_ACTIVE_MEMBERS takes no category or round scope"));
    }
    if (!space.empty()) {
      return absl::InvalidArgumentError(
          "space: MOST_ACTIVE_MEMBERS is ranked tenant-wide in this version");
    }
  }
  if (!common::v1::TimeWindow_IsValid(window)) {
    return absl::InvalidArgumentError("window: unknown value");
  }
  if (window != common::v1::TIME_WINDOW_UNSPECIFIED) {
    query.window = static_cast<TimeWindow>(window);
  }
  if (query.window != common::v1::TIME_WINDOW_ALL_TIME &&
      !IsWindowed(query.board)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "window: ", v1::Board_Name(query.board),
        " is ranked over all time only; DAY, WEEK and MONTH apply to TOP, "
        "MOST_COMMENTED, MOST_SHARED and MOST_ACTIVE_MEMBERS"));
  }
  const int narrowing = (space.empty() ? 0 : 1) + (category.empty() ? 0 : 1) +
                        (round.empty() ? 0 : 1);
  if (narrowing > 1) {
    return absl::InvalidArgumentError(
        "space: set at most one of space, category and round");
  }
  if (!space.empty()) {
    absl::StatusOr<std::string> id = ParseSpaceScope(tenant, space);
    if (!id.ok()) return id.status();
    query.scope.space = *id;
  }
  if (!category.empty()) {
    absl::StatusOr<std::string> id = ParseCategoryScope(tenant, category);
    if (!id.ok()) return id.status();
    query.scope.category = *id;
  }
  if (!round.empty()) {
    absl::StatusOr<std::string> id = ParseRoundScope(tenant, round);
    if (!id.ok()) return id.status();
    query.scope.round = *id;
  }
  if (!common::v1::ContentKind_IsValid(kind)) {
    return absl::InvalidArgumentError("kind: unknown value");
  }
  query.scope.kind = static_cast<ContentKind>(kind);
  return query;
}

absl::Status RequireReader(const auth::Principal* caller,
                           const std::string& tenant) {
  if (caller == nullptr) return absl::OkStatus();
  absl::Status status = auth::RequireTenant(*caller, tenant);
  return status.ok() ? status : status::WithReason(status, "TENANT_MISMATCH");
}

// KEYS of ReadBoardScript / RankOfScript for the query.
std::vector<std::string> ScriptKeys(RankingContext& context,
                                    const BoardQuery& query,
                                    int64_t generation) {
  const RankingKeys names(context.keys, query.tenant);
  std::vector<std::string> keys = {names.Generation(), names.Kinds(generation)};
  const absl::CivilDay today =
      absl::ToCivilDay(context.now(), context.settings.TimeZone(query.tenant));
  switch (query.window) {
    case common::v1::TIME_WINDOW_DAY:
      keys.push_back(
          names.DayBucket(generation, query.board, query.scope, today));
      break;
    case common::v1::TIME_WINDOW_WEEK:
    case common::v1::TIME_WINDOW_MONTH: {
      const int days = query.window == common::v1::TIME_WINDOW_WEEK ? 7 : 30;
      keys.push_back(
          names.WindowUnion(generation, query.board, query.scope, days, today));
      for (int back = 0; back < days; ++back) {
        keys.push_back(names.DayBucket(generation, query.board, query.scope,
                                       today - back));
      }
      break;
    }
    default:
      keys.push_back(names.Board(generation, query.board, query.scope));
  }
  return keys;
}

// Runs a board script in the live generation: retried once when a rebuild
// swapped generations; `repairing` set (and a rebuild asked for) when Redis
// lost the tenant's boards.
absl::StatusOr<redis::Reply> RunBoardScript(RankingContext& context,
                                            const BoardQuery& query,
                                            const redis::LuaScript& script,
                                            std::vector<std::string> args,
                                            bool& repairing) {
  repairing = false;
  for (int attempt = 0; attempt < 2; ++attempt) {
    absl::StatusOr<int64_t> generation =
        context.boards.Generation(query.tenant);
    if (absl::IsNotFound(generation.status())) {
      context.request_rebuild(query.tenant);
      repairing = true;
      return redis::Reply{};
    }
    if (!generation.ok()) return generation.status();
    std::vector<std::string> full_args = {absl::StrCat(*generation)};
    full_args.insert(full_args.end(), args.begin(), args.end());
    absl::StatusOr<redis::Reply> reply = context.redis.Eval(
        script, ScriptKeys(context, query, *generation), full_args);
    if (!reply.ok()) return reply.status();
    if (reply->type == redis::Reply::Type::kArray && !reply->elements.empty() &&
        reply->elements[0].integer < 0) {
      context.boards.ForgetGeneration(query.tenant);
      if (reply->elements[0].integer == -3) {
        context.request_rebuild(query.tenant);
        repairing = true;
        return redis::Reply{};
      }
      continue;
    }
    return reply;
  }
  return absl::UnavailableError("ranking: boards are being swapped; retry");
}

// {id, score, kind} triples of a script reply as entries from `first_rank`
// (members on MOST_ACTIVE_MEMBERS, posts elsewhere).
void AddEntries(const std::string& tenant, v1::Board board,
                const redis::Reply& triples, int64_t first_rank,
                google::protobuf::RepeatedPtrField<v1::LeaderboardEntry>* out) {
  int64_t rank = first_rank;
  for (size_t i = 0; i + 3 <= triples.elements.size(); i += 3) {
    v1::LeaderboardEntry* entry = out->Add();
    entry->set_rank(rank++);
    entry->set_score(triples.elements[i + 1].AsDouble().value_or(0));
    if (board == v1::BOARD_MOST_ACTIVE_MEMBERS) {
      entry->set_member(MemberResourceName(tenant, triples.elements[i].text));
      continue;
    }
    int kind = 0;
    (void)absl::SimpleAtoi(triples.elements[i + 2].text, &kind);
    entry->mutable_post()->set_kind(static_cast<ContentKind>(kind));
    entry->mutable_post()->set_name(
        PostResourceName(tenant, triples.elements[i].text));
  }
}

// What GetRank and ExplainRank place: a post, or a member on
// MOST_ACTIVE_MEMBERS.
struct PostTarget {
  std::string tenant;
  std::string post;  // or the member id when `member` is true
  bool member = false;
};

absl::StatusOr<PostTarget> TargetOf(const std::string& target,
                                    const std::string& member, int board,
                                    const auth::Principal* caller) {
  const bool members_board = board == v1::BOARD_MOST_ACTIVE_MEMBERS;
  if (!target.empty() && !member.empty()) {
    return absl::InvalidArgumentError("target: set target or member, not both");
  }
  if (!member.empty()) {
    if (!members_board) {
      return absl::InvalidArgumentError(
          "member: only MOST_ACTIVE_MEMBERS ranks members");
    }
    absl::StatusOr<MemberName> name = ParseMemberName("member", member, caller);
    if (!name.ok()) return name.status();
    return PostTarget{name->tenant, name->member, true};
  }
  if (target.empty()) {
    return absl::InvalidArgumentError("target: set target or member");
  }
  if (members_board) {
    return absl::InvalidArgumentError(
        "target: MOST_ACTIVE_MEMBERS ranks members; set member");
  }
  absl::StatusOr<PostName> name = ParsePostName("target", target);
  if (!name.ok()) return name.status();
  return PostTarget{name->tenant, name->post, false};
}

struct Placed {
  v1::Rank rank;
  redis::Reply around;
  int64_t zero_based = -1;
  bool repairing = false;
};

absl::StatusOr<Placed> Place(RankingContext& context, const BoardQuery& query,
                             const std::string& post) {
  Placed placed;
  absl::StatusOr<redis::Reply> reply =
      RunBoardScript(context, query, RankOfScript(), {post}, placed.repairing);
  if (!reply.ok()) return reply.status();
  placed.rank.set_board(query.board);
  placed.rank.set_window(query.window);
  if (placed.repairing) return placed;
  placed.rank.set_total_size(reply->elements[0].integer);
  placed.zero_based = reply->elements[1].integer;
  if (placed.zero_based >= 0) {
    placed.rank.set_rank(placed.zero_based + 1);
    placed.rank.set_score(reply->elements[2].AsDouble().value_or(0));
  }
  placed.around = reply->elements[3];
  return placed;
}

}  // namespace

absl::StatusOr<v1::ListLeaderboardResponse> ListLeaderboard(
    RankingContext& context, const auth::Principal* caller,
    const v1::ListLeaderboardRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status allowed = RequireReader(caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<BoardQuery> query =
      ParseQuery(*tenant, request.board(), request.window(), request.space(),
                 request.category(), request.round(), request.kind());
  if (!query.ok()) return query.status();
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  const int page_size =
      request.page_size() == 0 ? 20 : std::min(request.page_size(), 100);
  int64_t offset = 0;
  if (!request.page_token().empty()) {
    std::string text;
    if (request.page_token().size() > 64 ||
        !absl::WebSafeBase64Unescape(request.page_token(), &text) ||
        !absl::SimpleAtoi(text, &offset) || offset < 0 || offset > 1000000) {
      return absl::InvalidArgumentError(
          "page_token: not a token this method returned");
    }
  }
  bool repairing = false;
  absl::StatusOr<redis::Reply> reply = RunBoardScript(
      context, *query, ReadBoardScript(),
      {absl::StrCat(offset), absl::StrCat(offset + page_size - 1)}, repairing);
  if (!reply.ok()) return reply.status();
  v1::ListLeaderboardResponse response;
  response.set_repairing(repairing);
  if (repairing) return response;
  const int64_t total = reply->elements[0].integer;
  response.set_total_size(total);
  AddEntries(*tenant, query->board, reply->elements[1], offset + 1,
             response.mutable_entries());
  if (offset + page_size < total) {
    response.set_next_page_token(
        absl::WebSafeBase64Escape(absl::StrCat(offset + page_size)));
  }
  return response;
}

absl::StatusOr<v1::Rank> GetRank(RankingContext& context,
                                 const auth::Principal* caller,
                                 const v1::GetRankRequest& request) {
  absl::StatusOr<PostTarget> target =
      TargetOf(request.target(), request.member(), request.board(), caller);
  if (!target.ok()) return target.status();
  if (absl::Status allowed = RequireReader(caller, target->tenant);
      !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<BoardQuery> query = ParseQuery(
      target->tenant, request.board(), request.window(), request.space(),
      request.category(), request.round(), request.kind());
  if (!query.ok()) return query.status();
  absl::StatusOr<Placed> placed = Place(context, *query, target->post);
  if (!placed.ok()) return placed.status();
  if (placed->zero_based < 0 && !placed->repairing && !target->member) {
    // Off the board: say so for a known published post, NOT_FOUND else.
    absl::StatusOr<std::vector<std::optional<TallyView>>> tally =
        ReadTallies(context, target->tenant, {target->post});
    if (!tally.ok()) return tally.status();
    if (!(*tally)[0].has_value()) {
      return absl::NotFoundError(
          absl::StrCat("target: no published post ", request.target()));
    }
  }
  return placed->rank;
}

namespace {

void AddTerms(const std::vector<formulas::Term>& terms,
              google::protobuf::RepeatedPtrField<v1::FormulaTerm>* out) {
  for (const formulas::Term& term : terms) {
    v1::FormulaTerm* added = out->Add();
    added->set_name(term.name);
    added->set_value(term.value);
    added->set_description(term.description);
  }
}

// A member's weighted contributions over the query's window.
formulas::Explanation ExplainActivity(
    RankingContext& context, const BoardQuery& query,
    const std::vector<ContributionRow>& rows) {
  const formulas::FormulaParameters parameters =
      context.settings.FormulaParameters(query.tenant);
  const absl::CivilDay today =
      absl::ToCivilDay(context.now(), context.settings.TimeZone(query.tenant));
  const int days = query.window == common::v1::TIME_WINDOW_DAY     ? 1
                   : query.window == common::v1::TIME_WINDOW_WEEK  ? 7
                   : query.window == common::v1::TIME_WINDOW_MONTH ? 30
                                                                   : 0;
  std::map<int, int64_t> counts;
  for (const ContributionRow& row : rows) {
    if (days == 0 || row.day > today - days)
      counts[row.contribution] += row.count;
  }
  formulas::Explanation explanation;
  explanation.formula =
      "Σ weight(contribution) × count(contribution) over the window";
  for (const formulas::ContributionWeight& weight :
       parameters.contribution_weights) {
    const int type = static_cast<int>(weight.contribution);
    const std::string name = absl::AsciiStrToLower(
        v1::Contribution_Name(static_cast<v1::Contribution>(type))
            .substr(std::string("CONTRIBUTION_").size()));
    explanation.inputs.push_back({name, static_cast<double>(counts[type]),
                                  "contributions of this type in the window"});
    explanation.parameters.push_back(
        {"weight_" + name, weight.weight, "points per contribution"});
    explanation.score += weight.weight * static_cast<double>(counts[type]);
  }
  return explanation;
}

}  // namespace

absl::StatusOr<v1::RankExplanation> ExplainRank(
    RankingContext& context, const auth::Principal* caller,
    const v1::ExplainRankRequest& request) {
  absl::StatusOr<PostTarget> target =
      TargetOf(request.target(), request.member(), request.board(), caller);
  if (!target.ok()) return target.status();
  if (absl::Status allowed = RequireReader(caller, target->tenant);
      !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<BoardQuery> query = ParseQuery(
      target->tenant, request.board(), request.window(), request.space(),
      request.category(), request.round(), request.kind());
  if (!query.ok()) return query.status();
  const formulas::FormulaParameters parameters =
      context.settings.FormulaParameters(target->tenant);

  formulas::Explanation formula;
  if (target->member) {
    std::vector<ContributionRow> rows;
    absl::Status read =
        pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
          rows = ReadContributions(tx, target->tenant, target->post);
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    formula = ExplainActivity(context, *query, rows);
  } else {
    absl::StatusOr<std::vector<std::optional<TallyView>>> tallies =
        ReadTallies(context, target->tenant, {target->post});
    if (!tallies.ok()) return tallies.status();
    if (!(*tallies)[0].has_value()) {
      return absl::NotFoundError(
          absl::StrCat("target: no published post ", request.target()));
    }
    const TallyView& view = *(*tallies)[0];
    std::optional<PostInfo> post;
    std::map<std::string, formulas::TrendingActivity> activity;
    const absl::Time now = context.now();
    absl::Status read =
        pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
          post = LoadPost(tx, target->tenant, target->post);
          if (query->board == v1::BOARD_TRENDING) {
            activity = ReadTrendingActivity(
                tx, target->tenant, target->post,
                now - parameters.trending_recent_window,
                now - parameters.trending_baseline_window,
                context.settings.TimeZone(target->tenant).name());
          }
          return absl::OkStatus();
        });
    if (!read.ok()) return read;
    if (!post.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("target: no published post ", request.target()));
    }
    if (query->board == v1::BOARD_TRENDING) {
      formula = formulas::ExplainTrending(activity[target->post], parameters);
    } else if (query->window == common::v1::TIME_WINDOW_ALL_TIME) {
      formula = ExplainTallyBoard(query->board, *post, view.mode, view.counts,
                                  parameters);
    } else {
      formula.formula =
          "sum over the window's days of the board's daily value (top: ups − "
          "downs of the votes changed that day; commented: replies published "
          "that day; shared: shares and human clicks that day)";
    }
  }
  absl::StatusOr<Placed> placed = Place(context, *query, target->post);
  if (!placed.ok()) return placed.status();

  v1::RankExplanation explanation;
  *explanation.mutable_rank() = placed->rank;
  explanation.set_formula(formula.formula);
  AddTerms(formula.inputs, explanation.mutable_inputs());
  AddTerms(formula.parameters, explanation.mutable_parameters());
  if (formula.inputs.empty()) {
    v1::FormulaTerm* score = explanation.add_inputs();
    score->set_name("window_sum");
    score->set_value(placed->rank.score());
    score->set_description("the post's total over the window");
  }
  // Neighbours: the triples around the subject are rank-1, rank, rank+1.
  if (placed->zero_based >= 0) {
    google::protobuf::RepeatedPtrField<v1::LeaderboardEntry> around;
    const int64_t first = std::max<int64_t>(placed->zero_based - 1, 0);
    AddEntries(target->tenant, query->board, placed->around, first + 1,
               &around);
    for (const v1::LeaderboardEntry& entry : around) {
      if (entry.rank() == placed->rank.rank() - 1) {
        *explanation.mutable_above() = entry;
      }
      if (entry.rank() == placed->rank.rank() + 1) {
        *explanation.mutable_below() = entry;
      }
    }
  }
  *explanation.mutable_compute_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(context.now()));
  return explanation;
}

}  // namespace agora::ranking
