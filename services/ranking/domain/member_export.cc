#include "services/ranking/domain/member_export.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/time_util.h"
#include "libs/auth/roles.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/ranking/domain/names.h"
#include "services/ranking/domain/reputation.h"
#include "services/ranking/domain/votes.h"
#include "services/ranking/repository/post_store.h"
#include "services/ranking/repository/reputation_store.h"
#include "services/ranking/repository/vote_store.h"

namespace agora::ranking {
namespace {

absl::Status RequireExporter(const auth::Principal& caller,
                             const std::string& tenant,
                             const std::string& member) {
  if (caller.HasRole(auth::kRolePlatformAdmin)) return absl::OkStatus();
  if (absl::Status in_tenant = auth::RequireTenant(caller, tenant);
      !in_tenant.ok()) {
    return status::WithReason(in_tenant, "TENANT_MISMATCH");
  }
  const bool own = !caller.is_service_account && caller.subject == member;
  if (own ||
      (!caller.is_service_account && caller.HasRole(auth::kRoleTenantAdmin))) {
    return absl::OkStatus();
  }
  return status::WithReason(
      absl::PermissionDeniedError(
          "only the member themselves, tenant admins and platform admins "
          "export a member's ranking data"),
      "ROLE_REQUIRED");
}

// Every vote the member cast, most recently changed first.
void AddVotes(pqxx::transaction_base& tx, const std::string& tenant,
              const std::string& member, v1::MemberRankingData& data) {
  constexpr int kPage = 500;
  std::optional<VotePosition> after;
  for (;;) {
    const std::vector<VoteRow> rows =
        ListVoteRows(tx, tenant, "", member, 0, after, kPage);
    AppendVotes(tx, tenant, rows, data.mutable_votes());
    if (static_cast<int>(rows.size()) < kPage) return;
    const VoteRow& last = rows.back();
    after = VotePosition{absl::ToUnixMicros(last.vote.update_time), last.target,
                         last.voter, static_cast<int>(last.vote.axis)};
  }
}

}  // namespace

absl::StatusOr<v1::MemberRankingData> ExportMemberData(
    RankingContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request) {
  absl::StatusOr<MemberName> member =
      ParseMemberName("name", request.name(), &caller);
  if (!member.ok()) return member.status();
  if (absl::Status allowed =
          RequireExporter(caller, member->tenant, member->member);
      !allowed.ok()) {
    return allowed;
  }
  v1::MemberRankingData data;
  // One snapshot: the votes, totals and history agree with each other.
  absl::Status status = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) -> absl::Status {
        data.Clear();
        absl::StatusOr<v1::Reputation> reputation =
            LoadMemberReputation(context, tx, member->tenant, member->member);
        if (!reputation.ok()) return reputation.status();
        data.set_member(MemberResourceName(member->tenant, member->member));
        AddVotes(tx, member->tenant, member->member, data);
        *data.mutable_reputation() = *std::move(reputation);
        for (v1::ReputationEvent& event :
             LoadAllReputationEvents(tx, member->tenant, member->member)) {
          *data.add_reputation_events() = std::move(event);
        }
        *data.mutable_export_time() =
            google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
                absl::ToUnixMicros(context.now()));
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!status.ok()) return status;
  return data;
}

}  // namespace agora::ranking
