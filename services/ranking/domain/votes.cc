#include "services/ranking/domain/votes.h"

#include <set>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/tally_reader.h"
#include "services/ranking/repository/post_store.h"
#include "services/ranking/repository/vote_store.h"

namespace agora::ranking {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp ToTimestamp(absl::Time time) {
  return TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

// Votes are cast by members of the post's own tenant (a platform admin
// votes as a member of their own tenant too).
absl::Status RequireVoter(const auth::Principal& caller,
                          const std::string& tenant) {
  if (caller.is_service_account) {
    return status::WithReason(absl::PermissionDeniedError("only members vote"),
                              "ROLE_REQUIRED");
  }
  if (caller.tenant != tenant) {
    return status::WithReason(
        absl::PermissionDeniedError(
            absl::StrCat("target: belongs to another tenant than the caller")),
        "TENANT_MISMATCH");
  }
  return absl::OkStatus();
}

// A member's votes per minute and per day, counted in Redis. When Redis
// is down, votes are not refused for it.
absl::Status CheckVoteRate(RankingContext& context, const std::string& tenant,
                           const std::string& voter) {
  absl::StatusOr<v1::VoteSettings> settings =
      context.settings.VoteSettings(tenant);
  if (!settings.ok()) return absl::OkStatus();
  const int64_t now = absl::ToUnixSeconds(context.now());
  absl::StatusOr<std::string> minute_key = context.keys.TenantKey(
      tenant, {"rk", "rate", voter, absl::StrCat("m", now / 60)});
  absl::StatusOr<std::string> day_key = context.keys.TenantKey(
      tenant, {"rk", "rate", voter, absl::StrCat("d", now / 86400)});
  if (!minute_key.ok() || !day_key.ok()) return absl::OkStatus();
  absl::StatusOr<std::vector<redis::Reply>> replies =
      context.redis.Pipeline({{"INCR", *minute_key},
                              {"EXPIRE", *minute_key, "120"},
                              {"INCR", *day_key},
                              {"EXPIRE", *day_key, "172800"}});
  if (!replies.ok()) return absl::OkStatus();
  const int64_t minute = (*replies)[0].integer;
  const int64_t day = (*replies)[2].integer;
  const int32_t per_minute = settings->max_votes_per_minute() > 0
                                 ? settings->max_votes_per_minute()
                                 : 30;
  const int32_t per_day =
      settings->max_votes_per_day() > 0 ? settings->max_votes_per_day() : 500;
  if (minute > per_minute) {
    return status::WithRetryDelay(
        status::WithReason(
            absl::ResourceExhaustedError(absl::StrCat(
                "at most ", per_minute, " votes per minute; retry later")),
            "RATE_LIMITED"),
        absl::Seconds(60 - now % 60));
  }
  if (day > per_day) {
    return status::WithRetryDelay(
        status::WithReason(absl::ResourceExhaustedError(absl::StrCat(
                               "at most ", per_day, " votes per day")),
                           "RATE_LIMITED"),
        absl::Seconds(86400 - now % 86400));
  }
  return absl::OkStatus();
}

std::string EncodePosition(const VoteRow& row) {
  return absl::WebSafeBase64Escape(
      absl::StrCat(absl::ToUnixMicros(row.vote.update_time), "/", row.target,
                   "/", row.voter, "/", static_cast<int>(row.vote.axis)));
}

absl::StatusOr<std::optional<VotePosition>> DecodePosition(
    const std::string& token) {
  if (token.empty()) return std::nullopt;
  std::string text;
  std::vector<std::string> parts;
  if (token.size() <= 400 && absl::WebSafeBase64Unescape(token, &text)) {
    parts = absl::StrSplit(text, '/');
  }
  VotePosition position;
  if (parts.size() != 4 ||
      !absl::SimpleAtoi(parts[0], &position.update_micros) ||
      !absl::SimpleAtoi(parts[3], &position.axis)) {
    return absl::InvalidArgumentError(
        "page_token: not a token this method returned");
  }
  position.target = parts[1];
  position.voter = parts[2];
  return position;
}

}  // namespace

v1::Vote ToVoteProto(const std::string& tenant, const PostInfo& post,
                     const std::string& voter, const StoredVote& vote) {
  v1::Vote proto;
  proto.mutable_target()->set_kind(post.kind);
  proto.mutable_target()->set_name(PostResourceName(tenant, post.id));
  proto.set_voter(MemberResourceName(tenant, voter));
  proto.set_axis(vote.axis);
  proto.set_choice(vote.choice);
  proto.set_stars(vote.stars);
  proto.set_status(vote.status);
  proto.set_weight(vote.status == v1::Vote::STATUS_COUNTED ? 1.0 : 0.0);
  proto.set_verified_customer(vote.verified_customer);
  *proto.mutable_create_time() = ToTimestamp(vote.create_time);
  *proto.mutable_update_time() = ToTimestamp(vote.update_time);
  return proto;
}

void AppendVotes(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::vector<VoteRow>& rows,
                 google::protobuf::RepeatedPtrField<v1::Vote>* out) {
  std::vector<std::pair<std::string, std::string>> keys;
  for (const VoteRow& row : rows) keys.emplace_back(tenant, row.target);
  const auto posts = LoadPosts(tx, keys);
  for (const VoteRow& row : rows) {
    PostInfo post;
    post.id = row.target;
    if (auto it = posts.find({tenant, row.target}); it != posts.end()) {
      post = it->second;
    }
    *out->Add() = ToVoteProto(tenant, post, row.voter, row.vote);
  }
}

absl::StatusOr<VoteCommand> CastVoteCommand(
    RankingContext& context, const auth::Principal& caller,
    const v1::CastVoteRequest& request) {
  absl::StatusOr<PostName> target = ParsePostName("target", request.target());
  if (!target.ok()) return target.status();
  if (absl::Status allowed = RequireVoter(caller, target->tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (request.choice() == common::v1::VOTE_CHOICE_UNSPECIFIED ||
      !common::v1::VoteChoice_IsValid(request.choice())) {
    return absl::InvalidArgumentError(
        "choice: required, one of UP, DOWN, LIKE, STARS, HELPFUL, "
        "NOT_HELPFUL");
  }
  if (request.choice() == common::v1::VOTE_CHOICE_STARS
          ? request.stars() < 1 || request.stars() > 5
          : request.stars() != 0) {
    return absl::InvalidArgumentError(
        "stars: 1-5 with STARS, 0 with any other choice");
  }
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  if (absl::Status rate =
          CheckVoteRate(context, target->tenant, caller.subject);
      !rate.ok()) {
    return rate;
  }
  VoteCommand command;
  command.tenant = target->tenant;
  command.post = target->post;
  command.voter = caller.subject;
  command.trust_level = caller.trust_level;
  command.axis = AxisOf(request.choice());
  command.choice = request.choice();
  command.stars = request.stars();
  command.request_id = request.request_id();
  command.actor.set_type(common::v1::ACTOR_TYPE_MEMBER);
  command.actor.set_name(MemberResourceName(target->tenant, caller.subject));
  return command;
}

absl::StatusOr<VoteCommand> RetractVoteCommand(
    RankingContext& context, const auth::Principal& caller,
    const v1::RetractVoteRequest& request) {
  absl::StatusOr<PostName> target = ParsePostName("target", request.target());
  if (!target.ok()) return target.status();
  if (absl::Status allowed = RequireVoter(caller, target->tenant);
      !allowed.ok()) {
    return allowed;
  }
  if (!common::v1::VoteAxis_IsValid(request.axis())) {
    return absl::InvalidArgumentError("axis: unknown value");
  }
  if (absl::Status id = idempotency::ValidateRequestId(request.request_id());
      !id.ok()) {
    return id;
  }
  VoteCommand command;
  command.tenant = target->tenant;
  command.post = target->post;
  command.voter = caller.subject;
  command.trust_level = caller.trust_level;
  command.axis = request.axis() == common::v1::VOTE_AXIS_UNSPECIFIED
                     ? common::v1::VOTE_AXIS_PRIMARY
                     : request.axis();
  command.retract = true;
  command.request_id = request.request_id();
  command.actor.set_type(common::v1::ACTOR_TYPE_MEMBER);
  command.actor.set_name(MemberResourceName(target->tenant, caller.subject));
  (void)context;
  return command;
}

absl::StatusOr<v1::CastVoteResponse> CastVoteResponseOf(
    const VoteCommand& command, VoteResult result) {
  if (!result.status.ok()) return result.status;
  v1::CastVoteResponse response;
  response.set_changed(result.changed);
  if (result.vote.has_value()) {
    *response.mutable_vote() =
        ToVoteProto(command.tenant, result.post, command.voter, *result.vote);
  }
  if (result.tally.has_value()) {
    *response.mutable_tally() =
        ToTallyProto(command.tenant, command.post, *result.tally);
    if (response.has_vote()) {
      *(command.axis == common::v1::VOTE_AXIS_HELPFULNESS
            ? response.mutable_tally()->mutable_caller_helpfulness_vote()
            : response.mutable_tally()->mutable_caller_vote()) =
          response.vote();
    }
  }
  return response;
}

absl::StatusOr<v1::RetractVoteResponse> RetractVoteResponseOf(
    const VoteCommand& command, VoteResult result) {
  if (!result.status.ok()) return result.status;
  v1::RetractVoteResponse response;
  response.set_changed(result.changed);
  if (result.tally.has_value()) {
    *response.mutable_tally() =
        ToTallyProto(command.tenant, command.post, *result.tally);
  }
  return response;
}

absl::StatusOr<v1::ListVotesResponse> ListVotes(
    RankingContext& context, const auth::Principal& caller,
    const v1::ListVotesRequest& request) {
  std::set<std::string> tenants;
  std::string target, voter;
  if (!request.parent().empty()) {
    absl::StatusOr<std::string> tenant =
        ParseTenantName("parent", request.parent());
    if (!tenant.ok()) return tenant.status();
    tenants.insert(*tenant);
  }
  if (!request.target().empty()) {
    absl::StatusOr<PostName> post = ParsePostName("target", request.target());
    if (!post.ok()) return post.status();
    tenants.insert(post->tenant);
    target = post->post;
  }
  if (!request.voter().empty()) {
    absl::StatusOr<MemberName> member =
        ParseMemberName("voter", request.voter(), &caller);
    if (!member.ok()) return member.status();
    tenants.insert(member->tenant);
    voter = member->member;
  }
  if (target.empty() && voter.empty()) {
    return absl::InvalidArgumentError("target: set target or voter (or both)");
  }
  if (tenants.size() != 1) {
    return absl::InvalidArgumentError(
        "parent: parent, target and voter must name the same tenant");
  }
  const std::string tenant = *tenants.begin();
  if (absl::Status in_tenant = auth::RequireTenant(caller, tenant);
      !in_tenant.ok()) {
    return status::WithReason(in_tenant, "TENANT_MISMATCH");
  }
  const bool own =
      !voter.empty() && voter == caller.subject && !caller.is_service_account;
  if (!own) {
    if (absl::Status role = auth::RequireRole(
            caller, {auth::kRoleModerator, auth::kRoleTenantAdmin,
                     auth::kRolePlatformAdmin});
        !role.ok()) {
      return status::WithReason(
          absl::PermissionDeniedError(
              "members list only their own votes; moderators and tenant "
              "admins any"),
          "ROLE_REQUIRED");
    }
  }
  if (request.page_size() < 0) {
    return absl::InvalidArgumentError("page_size: must not be negative");
  }
  if (!common::v1::VoteAxis_IsValid(request.axis())) {
    return absl::InvalidArgumentError("axis: unknown value");
  }
  const int page_size =
      request.page_size() == 0 ? 20 : std::min(request.page_size(), 100);
  absl::StatusOr<std::optional<VotePosition>> after =
      DecodePosition(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListVotesResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        std::vector<VoteRow> rows = ListVoteRows(
            tx, tenant, target, voter, static_cast<int>(request.axis()), *after,
            page_size + 1);
        const bool more = static_cast<int>(rows.size()) > page_size;
        if (more) rows.resize(page_size);
        AppendVotes(tx, tenant, rows, response.mutable_votes());
        if (more) response.set_next_page_token(EncodePosition(rows.back()));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

namespace {

// The caller's own votes on `posts` (primary and helpfulness), by post.
std::map<std::string, std::vector<StoredVote>> CallerVotes(
    RankingContext& context, const auth::Principal* caller,
    const std::string& tenant, const std::vector<std::string>& posts) {
  std::map<std::string, std::vector<StoredVote>> votes;
  if (caller == nullptr || caller->is_service_account ||
      caller->tenant != tenant) {
    return votes;
  }
  (void)pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
    votes.clear();
    for (const VoteRow& row :
         VotesOfVoterOn(tx, tenant, caller->subject, posts)) {
      votes[row.target].push_back(row.vote);
    }
    return absl::OkStatus();
  });
  return votes;
}

absl::Status RequireReader(const auth::Principal* caller,
                           const std::string& tenant) {
  if (caller == nullptr) return absl::OkStatus();
  absl::Status status = auth::RequireTenant(*caller, tenant);
  return status.ok() ? status : status::WithReason(status, "TENANT_MISMATCH");
}

void SetCallerVotes(const std::string& tenant, const std::string& post,
                    const std::string& voter,
                    const std::vector<StoredVote>& votes, v1::Tally& tally) {
  PostInfo info;
  info.id = post;
  info.kind = tally.target().kind();
  for (const StoredVote& vote : votes) {
    *(vote.axis == common::v1::VOTE_AXIS_HELPFULNESS
          ? tally.mutable_caller_helpfulness_vote()
          : tally.mutable_caller_vote()) =
        ToVoteProto(tenant, info, voter, vote);
  }
}

}  // namespace

absl::StatusOr<v1::Tally> GetTally(RankingContext& context,
                                   const auth::Principal* caller,
                                   const v1::GetTallyRequest& request) {
  absl::StatusOr<std::vector<std::string>> name =
      ParseName("name", request.name(), {"tenants", "posts"}, "tally");
  if (!name.ok()) return name.status();
  const std::string& tenant = (*name)[0];
  const std::string& post = (*name)[1];
  if (absl::Status allowed = RequireReader(caller, tenant); !allowed.ok()) {
    return allowed;
  }
  absl::StatusOr<std::vector<std::optional<TallyView>>> tallies =
      ReadTallies(context, tenant, {post});
  if (!tallies.ok()) return tallies.status();
  if (!(*tallies)[0].has_value()) {
    return absl::NotFoundError(absl::StrCat("name: no published post ",
                                            PostResourceName(tenant, post)));
  }
  v1::Tally tally = ToTallyProto(tenant, post, *(*tallies)[0]);
  const auto votes = CallerVotes(context, caller, tenant, {post});
  if (auto it = votes.find(post); it != votes.end()) {
    SetCallerVotes(tenant, post, caller->subject, it->second, tally);
  }
  return tally;
}

absl::StatusOr<v1::BatchGetTalliesResponse> BatchGetTallies(
    RankingContext& context, const auth::Principal* caller,
    const v1::BatchGetTalliesRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (request.targets_size() < 1 || request.targets_size() > 100) {
    return absl::InvalidArgumentError("targets: 1-100 post names");
  }
  if (absl::Status allowed = RequireReader(caller, *tenant); !allowed.ok()) {
    return allowed;
  }
  std::vector<std::string> posts;
  for (int i = 0; i < request.targets_size(); ++i) {
    absl::StatusOr<PostName> post =
        ParsePostName(absl::StrCat("targets[", i, "]"), request.targets(i));
    if (!post.ok()) return post.status();
    if (post->tenant != *tenant) {
      return absl::InvalidArgumentError(
          absl::StrCat("targets[", i, "]: must belong to ", request.parent()));
    }
    posts.push_back(post->post);
  }
  absl::StatusOr<std::vector<std::optional<TallyView>>> tallies =
      ReadTallies(context, *tenant, posts);
  if (!tallies.ok()) return tallies.status();
  const auto votes = CallerVotes(context, caller, *tenant, posts);
  v1::BatchGetTalliesResponse response;
  for (size_t i = 0; i < posts.size(); ++i) {
    if (!(*tallies)[i].has_value()) {
      response.add_missing(request.targets(static_cast<int>(i)));
      continue;
    }
    v1::Tally* tally = response.add_tallies();
    *tally = ToTallyProto(*tenant, posts[i], *(*tallies)[i]);
    if (auto it = votes.find(posts[i]); it != votes.end()) {
      SetCallerVotes(*tenant, posts[i], caller->subject, it->second, *tally);
    }
  }
  return response;
}

}  // namespace agora::ranking
