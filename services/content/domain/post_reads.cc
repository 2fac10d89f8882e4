#include "services/content/domain/post_reads.h"

#include <grpcpp/client_context.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/pg/transaction.h"
#include "libs/status/grpc_status.h"
#include "services/content/domain/access.h"
#include "services/content/domain/keyset.h"
#include "services/content/domain/post_rules.h"
#include "services/content/domain/post_view.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;

// Reads of one statement need no transaction block.
constexpr pg::TransactionOptions kOneRead{.isolation = pg::Isolation::kNone};

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// A WHERE clause built from fixed fragments, every value a parameter
// ($1 is the tenant).
class Filter {
 public:
  // The placeholder of a new parameter with `value`.
  std::string Param(std::string value) {
    params_.push_back(std::move(value));
    return absl::StrCat("$", params_.size() + 1);
  }
  void And(absl::string_view clause) {
    absl::StrAppend(&sql_, " AND ", clause);
  }
  const std::string& sql() const { return sql_; }
  const std::vector<std::string>& params() const { return params_; }

 private:
  std::string sql_;
  std::vector<std::string> params_;
};

std::string IntArray(const std::vector<int>& values) {
  return absl::StrCat("{", absl::StrJoin(values, ","), "}");
}

// The tenant of the request: `parent`, else the tenant of `space` or
// `in_reply_to`; they must agree.
absl::StatusOr<std::string> TenantOf(const v1::ListPostsRequest& request) {
  std::string tenant;
  const auto agree = [&](absl::string_view field,
                         const std::string& other) -> absl::Status {
    if (!tenant.empty() && other != tenant) {
      return Invalid(field, "must belong to the same tenant as parent");
    }
    tenant = other;
    return absl::OkStatus();
  };
  if (!request.parent().empty()) {
    absl::StatusOr<std::string> parent =
        api::ParseTenantName("parent", request.parent());
    if (!parent.ok()) return parent.status();
    tenant = *parent;
  }
  if (!request.space().empty()) {
    absl::StatusOr<std::vector<std::string>> parts =
        api::ParseName("space", request.space(), {"tenants", "spaces"});
    if (!parts.ok()) return parts.status();
    if (absl::Status s = agree("space", (*parts)[0]); !s.ok()) return s;
  }
  if (!request.in_reply_to().empty()) {
    absl::StatusOr<api::PostName> post =
        api::ParsePostName("in_reply_to", request.in_reply_to());
    if (!post.ok()) return post.status();
    if (absl::Status s = agree("in_reply_to", post->tenant); !s.ok()) return s;
  }
  if (tenant.empty()) return Invalid("parent", "required");
  return tenant;
}

std::string IdIn(const std::string& name) {
  return name.substr(name.rfind('/') + 1);
}

// The ranking board of a ranked order (UNSPECIFIED for the others).
ranking::v1::Board BoardOf(v1::PostOrder order) {
  switch (order) {
    case v1::POST_ORDER_HOT:
      return ranking::v1::BOARD_HOT;
    case v1::POST_ORDER_BEST:
      return ranking::v1::BOARD_BEST;
    case v1::POST_ORDER_TOP:
      return ranking::v1::BOARD_TOP;
    case v1::POST_ORDER_MOST_COMMENTED:
      return ranking::v1::BOARD_MOST_COMMENTED;
    default:
      return ranking::v1::BOARD_UNSPECIFIED;
  }
}

absl::StatusOr<v1::ListPostsResponse> ListRanked(
    ContentContext& context, const auth::Principal* caller,
    const std::string& tenant, const v1::ListPostsRequest& request,
    int page_size) {
  // Ranking's boards are scoped by space, category, round and one kind;
  // other filters cannot be applied to a ranked page.
  const std::pair<bool, const char*> unfit[] = {
      {!request.author().empty(), "author"},
      {!request.in_reply_to().empty(), "in_reply_to"},
      {!request.in_reply_to_comment().empty(), "in_reply_to_comment"},
      {!request.tag().empty(), "tag"},
      {!request.idea_statuses().empty(), "idea_statuses"},
      {!request.product().empty(), "product"},
      {request.unanswered_only(), "unanswered_only"},
      {!request.states().empty(), "states"},
      {request.kinds_size() > 1, "kinds"}};
  for (const auto& [set, field] : unfit) {
    if (set) {
      return Invalid(field,
                     "cannot be combined with a ranked order_by (hot, best, "
                     "top, most commented)");
    }
  }
  if (context.ranking == nullptr) {
    return absl::UnavailableError("ranked orders: ranking is not configured");
  }
  ranking::v1::ListLeaderboardRequest board;
  board.set_parent(absl::StrCat("tenants/", tenant));
  board.set_board(BoardOf(request.order_by()));
  board.set_window(request.window());
  board.set_space(request.space());
  board.set_category(request.category());
  board.set_round(request.round());
  if (request.kinds_size() == 1) board.set_kind(request.kinds(0));
  board.set_page_size(page_size);
  board.set_page_token(request.page_token());
  grpc::ClientContext call;
  call.set_deadline(absl::ToChronoTime(absl::Now() + context.ranking_deadline));
  ranking::v1::ListLeaderboardResponse ranked;
  const grpc::Status status =
      context.ranking->ListLeaderboard(&call, board, &ranked);
  if (!status.ok()) {
    if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT) {
      return status::FromGrpcStatus(status);
    }
    return absl::UnavailableError(
        absl::StrCat("ranked orders: ranking did not answer (",
                     status.error_message(), ")"));
  }
  std::vector<std::string> ids;
  for (const ranking::v1::LeaderboardEntry& entry : ranked.entries()) {
    if (entry.has_post()) ids.push_back(IdIn(entry.post().name()));
  }
  v1::ListPostsResponse response;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        absl::flat_hash_map<std::string, StoredPost> found;
        for (StoredPost& post : FindPosts(tx, tenant, ids)) {
          found.emplace(post.id, std::move(post));
        }
        for (const std::string& id : ids) {
          auto it = found.find(id);
          // Boards lag publication changes by an event: never show what
          // is no longer published.
          if (it == found.end() ||
              it->second.post.state() != common::POST_STATE_PUBLISHED) {
            continue;
          }
          *response.add_posts() = ViewOf(it->second, caller);
        }
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  response.set_next_page_token(ranked.next_page_token());
  return response;
}

}  // namespace

absl::StatusOr<v1::Post> GetPost(ContentContext& context,
                                 const auth::Principal* caller,
                                 const v1::GetPostRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("name", request.name());
  if (!name.ok()) return name.status();
  std::optional<StoredPost> post;
  absl::Status status = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        post = FindPost(tx, name->tenant, name->post);
        return absl::OkStatus();
      },
      kOneRead);
  if (!status.ok()) return status;
  if (!post.has_value() || !CanSee(*post, caller)) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return ViewOf(*post, caller);
}

absl::StatusOr<v1::BatchGetPostsResponse> BatchGetPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::BatchGetPostsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (request.names().empty() || request.names_size() > 100) {
    return Invalid("names", "1-100 post names");
  }
  std::vector<std::string> ids;
  for (int i = 0; i < request.names_size(); ++i) {
    absl::StatusOr<api::PostName> name =
        api::ParsePostName(absl::StrCat("names[", i, "]"), request.names(i));
    if (!name.ok()) return name.status();
    if (name->tenant != *tenant) {
      return Invalid(absl::StrCat("names[", i, "]"),
                     absl::StrCat("must belong to ", request.parent()));
    }
    ids.push_back(name->post);
  }
  v1::BatchGetPostsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        absl::flat_hash_map<std::string, StoredPost> found;
        for (StoredPost& post : FindPosts(tx, *tenant, ids)) {
          found.emplace(post.id, std::move(post));
        }
        for (int i = 0; i < request.names_size(); ++i) {
          auto it = found.find(ids[i]);
          if (it == found.end() || !CanSee(it->second, caller)) {
            response.add_missing(request.names(i));
          } else {
            *response.add_posts() = ViewOf(it->second, caller);
          }
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::ListPostsResponse> ListPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListPostsRequest& request) {
  absl::StatusOr<std::string> tenant = TenantOf(request);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  if (!v1::PostOrder_IsValid(request.order_by())) {
    return Invalid("order_by", "unknown order");
  }
  if (!common::TimeWindow_IsValid(request.window())) {
    return Invalid("window", "unknown window");
  }
  if (BoardOf(request.order_by()) != ranking::v1::BOARD_UNSPECIFIED) {
    return ListRanked(context, caller, *tenant, request, *size);
  }
  if (request.window() != common::TIME_WINDOW_UNSPECIFIED) {
    return Invalid("window", "only for the top and most-commented orders");
  }

  Filter filter;
  if (!request.space().empty()) {
    filter.And(absl::StrCat("p.space = ", filter.Param(IdIn(request.space()))));
  }
  if (!request.category().empty()) {
    absl::StatusOr<std::vector<std::string>> parts = api::ParseName(
        "category", request.category(), {"tenants", "spaces", "categories"});
    if (!parts.ok()) return parts.status();
    if ((*parts)[0] != *tenant) {
      return Invalid("category", "must belong to the same tenant");
    }
    filter.And(absl::StrCat("p.space = ", filter.Param((*parts)[1]),
                            " AND p.category = ", filter.Param((*parts)[2])));
  }
  if (request.kinds_size() > 7) return Invalid("kinds", "at most 7");
  std::vector<int> kinds;
  for (int kind : request.kinds()) {
    if (kind == common::CONTENT_KIND_UNSPECIFIED ||
        !common::ContentKind_IsValid(kind)) {
      return Invalid("kinds", "unknown kind");
    }
    kinds.push_back(kind);
  }
  if (kinds.empty()) {
    if (request.in_reply_to().empty()) {
      kinds = {common::CONTENT_KIND_QUESTION, common::CONTENT_KIND_IDEA,
               common::CONTENT_KIND_ARTICLE, common::CONTENT_KIND_REVIEW,
               common::CONTENT_KIND_CONTEST_ENTRY};
    } else {
      kinds = {common::CONTENT_KIND_ANSWER, common::CONTENT_KIND_COMMENT};
    }
  }
  filter.And(absl::StrCat("p.kind = ANY(", filter.Param(IntArray(kinds)),
                          "::smallint[])"));
  std::string author;
  if (!request.author().empty()) {
    absl::StatusOr<api::MemberName> member =
        api::ParseMemberName("author", request.author(), caller);
    if (!member.ok()) return member.status();
    if (member->tenant != *tenant) {
      return Invalid("author", "must belong to the same tenant");
    }
    author = member->member;
    filter.And(absl::StrCat("p.author = ", filter.Param(author),
                            " AND NOT p.author_is_service"));
  }
  if (!request.in_reply_to().empty()) {
    filter.And(absl::StrCat("p.in_reply_to = ",
                            filter.Param(IdIn(request.in_reply_to()))));
  }
  if (!request.in_reply_to_comment().empty()) {
    absl::StatusOr<api::PostName> comment = api::ParsePostName(
        "in_reply_to_comment", request.in_reply_to_comment());
    if (!comment.ok()) return comment.status();
    filter.And(
        absl::StrCat("p.in_reply_to_comment = ", filter.Param(comment->post)));
  }
  if (!request.tag().empty()) {
    if (request.tag().size() > 30) return Invalid("tag", "1-30 characters");
    filter.And(absl::StrCat(filter.Param(request.tag()), " = ANY(p.tags)"));
  }
  if (request.idea_statuses_size() > 7) {
    return Invalid("idea_statuses", "at most 7");
  }
  if (!request.idea_statuses().empty()) {
    std::vector<int> statuses;
    for (int status : request.idea_statuses()) {
      if (!common::IdeaStatus_IsValid(status)) {
        return Invalid("idea_statuses", "unknown status");
      }
      statuses.push_back(status);
    }
    filter.And(absl::StrCat("p.idea_status = ANY(",
                            filter.Param(IntArray(statuses)), "::smallint[])"));
  }
  if (!request.product().empty()) {
    absl::StatusOr<std::vector<std::string>> parts =
        api::ParseName("product", request.product(), {"tenants", "products"});
    if (!parts.ok()) return parts.status();
    filter.And(absl::StrCat("p.product = ", filter.Param((*parts)[1])));
  }
  if (!request.round().empty()) {
    absl::StatusOr<std::vector<std::string>> parts = api::ParseName(
        "round", request.round(), {"tenants", "contests", "rounds"});
    if (!parts.ok()) return parts.status();
    filter.And(absl::StrCat("p.round = ",
                            filter.Param((*parts)[1] + "/" + (*parts)[2])));
  }
  if (request.unanswered_only()) {
    filter.And("p.kind = 1 AND p.accepted_answer = ''");
  }
  if (request.states_size() > 6) return Invalid("states", "at most 6");
  std::vector<int> states;
  for (int state : request.states()) {
    if (state == common::POST_STATE_UNSPECIFIED ||
        !common::PostState_IsValid(state)) {
      return Invalid("states", "unknown state");
    }
    states.push_back(state);
  }
  if (states.empty()) states.push_back(common::POST_STATE_PUBLISHED);
  const bool only_published =
      states.size() == 1 && states[0] == common::POST_STATE_PUBLISHED;
  if (!only_published) {
    const bool own = caller != nullptr && !author.empty() &&
                     author == MemberIdIn(caller, *tenant);
    if (!own && !IsModerator(caller, *tenant)) {
      return absl::PermissionDeniedError(
          "states: other states than PUBLISHED need author = you, or a "
          "moderator");
    }
  }
  filter.And(absl::StrCat("p.state = ANY(", filter.Param(IntArray(states)),
                          "::smallint[])"));

  absl::StatusOr<std::optional<TimeIdPosition>> after =
      DecodeTimeIdToken(request.page_token());
  if (!after.ok()) return after.status();
  const char* column = "p.create_time";
  bool ascending = false;
  switch (request.order_by()) {
    case v1::POST_ORDER_OLDEST:
      ascending = true;
      break;
    case v1::POST_ORDER_RECENT_ACTIVITY:
      column = "p.last_activity_time";
      break;
    case v1::POST_ORDER_LONGEST_UNANSWERED:
      if (!request.unanswered_only()) {
        return Invalid("order_by", "LONGEST_UNANSWERED needs unanswered_only");
      }
      ascending = true;
      break;
    default:
      break;
  }
  if (after->has_value()) {
    filter.And(absl::StrCat("(", column, ", p.id) ", ascending ? ">" : "<",
                            " (timestamptz 'epoch' + ",
                            filter.Param(std::to_string((*after)->first)),
                            "::bigint * interval '1 microsecond', ",
                            filter.Param((*after)->second), ")"));
  }
  const char* direction = ascending ? "ASC" : "DESC";
  const std::string tail =
      absl::StrCat(filter.sql(), " ORDER BY ", column, " ", direction,
                   ", p.id ", direction, " LIMIT ", *size + 1);
  std::vector<StoredPost> posts;
  absl::Status status = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        posts = QueryPosts(tx, *tenant, tail, filter.params());
        return absl::OkStatus();
      },
      kOneRead);
  if (!status.ok()) return status;
  v1::ListPostsResponse response;
  for (size_t i = 0; i < posts.size() && i < size_t(*size); ++i) {
    if (!CanSee(posts[i], caller)) continue;
    *response.add_posts() = ViewOf(posts[i], caller);
  }
  if (posts.size() > size_t(*size)) {
    const v1::Post& last = posts[*size - 1].post;
    response.set_next_page_token(
        TimeIdToken(request.order_by() == v1::POST_ORDER_RECENT_ACTIVITY
                        ? last.last_activity_time()
                        : last.create_time(),
                    last.name()));
  }
  return response;
}

absl::StatusOr<v1::ListPostRevisionsResponse> ListPostRevisions(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListPostRevisionsRequest& request) {
  absl::StatusOr<api::PostName> name =
      api::ParsePostName("parent", request.parent());
  if (!name.ok()) return name.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<TimeIdPosition>> before =
      DecodeTimeIdToken(request.page_token());
  if (!before.ok()) return before.status();
  v1::ListPostRevisionsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<StoredPost> post = FindPost(tx, name->tenant, name->post);
        if (!post.has_value() || !CanSee(*post, caller)) {
          return absl::NotFoundError(
              absl::StrCat(request.parent(), " not found"));
        }
        std::vector<v1::PostRevision> revisions =
            ListRevisionRows(tx, name->tenant, name->post, *before, *size + 1);
        response.Clear();
        for (size_t i = 0; i < revisions.size() && i < size_t(*size); ++i) {
          *response.add_revisions() = std::move(revisions[i]);
        }
        if (revisions.size() > size_t(*size)) {
          const v1::PostRevision& last = response.revisions(*size - 1);
          response.set_next_page_token(
              TimeIdToken(last.create_time(), last.name()));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

}  // namespace agora::content
