#include "services/content/domain/follows.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/keyset.h"
#include "services/content/domain/own_member.h"
#include "services/content/domain/post_view.h"
#include "services/content/repository/post_store.h"
#include "services/content/repository/space_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// A target named in a request, not yet checked to exist.
struct NamedTarget {
  FollowTarget target;
  std::string space;     // categories
  std::string category;  // categories
};

// Parses a post, category or member resource name of `tenant`.
absl::StatusOr<NamedTarget> ParseTarget(absl::string_view field,
                                        absl::string_view name,
                                        FollowTarget::Kind kind,
                                        const std::string& tenant) {
  NamedTarget named;
  named.target.kind = kind;
  std::string target_tenant;
  switch (kind) {
    case FollowTarget::kPost: {
      absl::StatusOr<api::PostName> post = api::ParsePostName(field, name);
      if (!post.ok()) return post.status();
      target_tenant = post->tenant;
      named.target.key = post->post;
      break;
    }
    case FollowTarget::kCategory: {
      absl::StatusOr<std::vector<std::string>> parts =
          api::ParseName(field, name, {"tenants", "spaces", "categories"});
      if (!parts.ok()) return parts.status();
      target_tenant = (*parts)[0];
      named.space = (*parts)[1];
      named.category = (*parts)[2];
      named.target.key = absl::StrCat(named.space, "/", named.category);
      break;
    }
    case FollowTarget::kMember: {
      absl::StatusOr<api::MemberName> member =
          api::ParseMemberName(field, name, nullptr);
      if (!member.ok()) return member.status();
      target_tenant = member->tenant;
      named.target.key = member->member;
      break;
    }
  }
  if (target_tenant != tenant) {
    return Invalid(field, "must belong to the member's tenant");
  }
  return named;
}

// The kind of a target name, from its collection.
absl::StatusOr<FollowTarget::Kind> KindOfName(absl::string_view field,
                                              absl::string_view name) {
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  if (parts.size() == 4 && parts[2] == "posts") return FollowTarget::kPost;
  if (parts.size() == 4 && parts[2] == "members") return FollowTarget::kMember;
  if (parts.size() == 6 && parts[2] == "spaces" && parts[4] == "categories") {
    return FollowTarget::kCategory;
  }
  return Invalid(field,
                 "must be a post, category or member resource name "
                 "(tenants/{tenant}/posts/{post}, tenants/{tenant}/spaces/"
                 "{space}/categories/{category}, tenants/{tenant}/members/"
                 "{member})");
}

// NOT_FOUND unless the target exists and the caller may follow it.
absl::Status CheckTargetExists(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const NamedTarget& named, absl::string_view name,
                               const auth::Principal& caller) {
  const auto not_found = [&] {
    return absl::NotFoundError(absl::StrCat(name, " not found"));
  };
  switch (named.target.kind) {
    case FollowTarget::kPost: {
      std::optional<StoredPost> post = FindPost(tx, tenant, named.target.key);
      if (!post.has_value() || !CanSee(*post, &caller) ||
          post->post.state() == common::POST_STATE_DELETED) {
        return not_found();
      }
      return absl::OkStatus();
    }
    case FollowTarget::kCategory: {
      std::optional<v1::Category> category =
          FindCategory(tx, tenant, named.space, named.category);
      if (!category.has_value() ||
          category->state() == v1::Category::STATE_ARCHIVED) {
        return not_found();
      }
      return absl::OkStatus();
    }
    case FollowTarget::kMember: {
      const pqxx::result rows = tx.exec_params(
          "SELECT 1 FROM members WHERE tenant = $1 AND id = $2 AND"
          " NOT erased",
          tenant, named.target.key);
      return rows.empty() ? not_found() : absl::OkStatus();
    }
  }
  return not_found();
}

// Serialises one member's follow writes: the limit holds under concurrent
// calls.
void LockMemberFollows(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& member) {
  tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                 absl::StrCat("content-follows/", tenant, "/", member));
}

}  // namespace

absl::StatusOr<v1::Follow> CreateFollow(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateFollowRequest& request) {
  absl::StatusOr<api::MemberName> member =
      RequireOwnMember("parent", request.parent(), caller);
  if (!member.ok()) return member.status();
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const v1::Follow& given = request.follow();
  std::string field;
  std::string target_name;
  FollowTarget::Kind kind = FollowTarget::kPost;
  switch (given.target_case()) {
    case v1::Follow::kPost:
      field = "follow.post";
      target_name = given.post();
      kind = FollowTarget::kPost;
      break;
    case v1::Follow::kCategory:
      field = "follow.category";
      target_name = given.category();
      kind = FollowTarget::kCategory;
      break;
    case v1::Follow::kMember:
      field = "follow.member";
      target_name = given.member();
      kind = FollowTarget::kMember;
      break;
    default:
      return Invalid("follow.target",
                     "required: set one of post, category, member");
  }
  absl::StatusOr<NamedTarget> named =
      ParseTarget(field, target_name, kind, member->tenant);
  if (!named.ok()) return named.status();
  if (kind == FollowTarget::kMember && named->target.key == member->member) {
    return Invalid(field, "a member cannot follow themselves");
  }
  // Retrying is naturally idempotent: the second call finds the follow the
  // first one made.
  v1::Follow follow;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (absl::Status s = CheckTargetExists(tx, member->tenant, *named,
                                               target_name, caller);
            !s.ok()) {
          return s;
        }
        LockMemberFollows(tx, member->tenant, member->member);
        if (std::optional<v1::Follow> existing = FindFollowOf(
                tx, member->tenant, member->member, named->target)) {
          follow = *std::move(existing);
          return absl::OkStatus();
        }
        if (CountFollows(tx, member->tenant, member->member) >=
            kMaxFollowsPerMember) {
          return absl::ResourceExhaustedError(absl::StrCat(
              "follow: a member follows at most ", kMaxFollowsPerMember,
              " posts, categories and "
              "members; unfollow some first"));
        }
        follow = InsertFollow(tx, member->tenant, member->member, named->target,
                              v1::FOLLOW_REASON_EXPLICIT, context.now())
                     .follow;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return follow;
}

absl::StatusOr<v1::ListFollowsResponse> ListFollows(
    ContentContext& context, const auth::Principal& caller,
    const v1::ListFollowsRequest& request) {
  absl::StatusOr<api::MemberName> member =
      RequireOwnMember("parent", request.parent(), caller);
  if (!member.ok()) return member.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<TimeIdPosition>> before =
      DecodeTimeIdToken(request.page_token());
  if (!before.ok()) return before.status();
  std::optional<FollowTarget> only;
  if (!request.target().empty()) {
    absl::StatusOr<FollowTarget::Kind> kind =
        KindOfName("target", request.target());
    if (!kind.ok()) return kind.status();
    absl::StatusOr<NamedTarget> named =
        ParseTarget("target", request.target(), *kind, member->tenant);
    if (!named.ok()) return named.status();
    only = named->target;
  }
  v1::ListFollowsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::vector<v1::Follow> follows = ListFollowRows(
            tx, member->tenant, member->member, *before, only, *size + 1);
        response.Clear();
        for (size_t i = 0; i < follows.size() && i < size_t(*size); ++i) {
          *response.add_follows() = std::move(follows[i]);
        }
        if (follows.size() > size_t(*size)) {
          const v1::Follow& last = response.follows(*size - 1);
          response.set_next_page_token(
              TimeIdToken(last.create_time(), last.name()));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<google::protobuf::Empty> DeleteFollow(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteFollowRequest& request) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName("name", request.name(), {"tenants", "members", "follows"});
  if (!parts.ok()) return parts.status();
  absl::StatusOr<api::MemberName> member = RequireOwnMember(
      "name", api::MemberResourceName((*parts)[0], (*parts)[1]), caller);
  if (!member.ok()) return member.status();
  const std::string& id = (*parts)[2];
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        LockMemberFollows(tx, member->tenant, member->member);
        if (!DeleteFollowRow(tx, member->tenant, member->member, id)) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return google::protobuf::Empty();
}

void FollowAutomatically(pqxx::transaction_base& tx, const std::string& tenant,
                         const std::string& member, const FollowTarget& target,
                         v1::FollowReason reason, absl::Time now) {
  // An event still in flight about a member erased since follows nothing.
  if (!tx.exec_params("SELECT 1 FROM members WHERE tenant = $1 AND id = $2"
                      " AND erased",
                      tenant, member)
           .empty()) {
    return;
  }
  LockMemberFollows(tx, tenant, member);
  if (FindFollowOf(tx, tenant, member, target).has_value()) return;
  if (CountFollows(tx, tenant, member) >= kMaxFollowsPerMember) return;
  InsertFollow(tx, tenant, member, target, reason, now);
}

}  // namespace agora::content
