#include "services/identity/domain/members.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/display_name.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {
namespace {

absl::Status RequireModeration(const auth::Principal& caller,
                               absl::string_view tenant) {
  return RequireTenantRole(caller, tenant,
                           {auth::kRoleModerator, auth::kRoleTenantAdmin});
}

}  // namespace

absl::StatusOr<v1::Member> GetMember(IdentityContext& context,
                                     const auth::Principal& caller,
                                     const v1::GetMemberRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (!IsSelf(caller, name->tenant, name->member) &&
      !IsServiceWithScope(caller, name->tenant, "identity.read")) {
    if (absl::Status s = RequireModeration(caller, name->tenant); !s.ok()) {
      return s;
    }
  }
  v1::Member member;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<MemberRecord> loaded =
            LoadMember(tx, name->tenant, name->member);
        if (!loaded.ok()) return loaded.status();
        member = ToMemberProto(*loaded);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return member;
}

absl::StatusOr<v1::ListMembersResponse> ListMembers(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListMembersRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s = RequireModeration(caller, *tenant); !s.ok()) return s;
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<TimeIdPosition> after =
      DecodeTimeIdPageToken(request.page_token());
  if (!after.ok()) return after.status();
  std::string role;
  if (request.role() != common::v1::ROLE_UNSPECIFIED) {
    role = RoleName(request.role()).value_or("");
  }
  const int trust = request.trust_level() == common::v1::TRUST_LEVEL_UNSPECIFIED
                        ? -1
                        : static_cast<int>(request.trust_level()) - 1;
  std::string prefix_key;
  if (!request.display_name_prefix().empty()) {
    if (absl::Status s = ValidateText("display_name_prefix",
                                      request.display_name_prefix(), 1, 40);
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> key =
        DisplayNameKey(request.display_name_prefix());
    if (!key.ok()) return key.status();
    prefix_key = *key;
  }
  v1::ListMembersResponse response;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        const pqxx::result rows = tx.exec_params(
            absl::StrCat(
                "SELECT ", kMemberColumns,
                " FROM members m WHERE m.tenant = $1"
                " AND ($2 = '' OR (m.create_time, m.id) <"
                "      (to_timestamp($3::float8 / 1e6), nullif($2, '')::uuid))"
                " AND ($4 = '' OR EXISTS (SELECT 1 FROM member_roles r"
                "      WHERE r.member = m.id AND r.role = $4))"
                " AND ($5 < 0 OR m.trust_level = $5)"
                " AND ($6 = 0 OR m.state = $6)"
                " AND ($7 = '' OR starts_with(m.display_name_key, $7))"
                " ORDER BY m.create_time DESC, m.id DESC LIMIT $8"),
            *tenant, after->id, after->micros, role, trust,
            static_cast<int>(request.state()), prefix_key, *page_size + 1);
        for (int i = 0; i < static_cast<int>(rows.size()) && i < *page_size;
             ++i) {
          MemberRecord member = MemberFromRow(rows[i]);
          LoadRoles(tx, member);
          *response.add_members() = ToMemberProto(member);
        }
        if (static_cast<int>(rows.size()) > *page_size) {
          const MemberRecord last = MemberFromRow(rows[*page_size - 1]);
          response.set_next_page_token(EncodeTimeIdPageToken(
              absl::ToUnixMicros(last.create_time), last.id));
        }
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Member> SuspendMember(
    IdentityContext& context, const auth::Principal& caller,
    const v1::SuspendMemberRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModeration(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("reason", request.reason(), 1, 500);
      !s.ok()) {
    return s;
  }
  std::optional<absl::Time> end;
  if (request.has_duration()) {
    const int64_t seconds = request.duration().seconds();
    if (seconds < 3600 || seconds > int64_t{3650} * 86400) {
      return absl::InvalidArgumentError(
          "duration: must be from 1 hour to 3,650 days");
    }
    end = context.now() + absl::Seconds(seconds);
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{name->tenant, "SuspendMember",
                                        request.request_id(),
                                        ActorOf(caller).name()};
  v1::Member suspended;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        if (idempotency::FindSavedResponse(tx, key, suspended)) {
          return absl::OkStatus();
        }
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        if (member->state == v1::Member::STATE_ERASED) {
          return absl::FailedPreconditionError("the member was erased");
        }
        if (member->HasRole(auth::kRoleTenantAdmin) ||
            member->HasRole(auth::kRolePlatformAdmin)) {
          return absl::PermissionDeniedError(
              "admins cannot be suspended; revoke the role first");
        }
        tx.exec_params(
            "UPDATE members SET state = $2, suspension_reason = $3,"
            " suspension_end_time = to_timestamp(nullif($4, 0)::float8 / 1e6)"
            " WHERE id = $1::uuid",
            member->id, static_cast<int>(v1::Member::STATE_SUSPENDED),
            request.reason(), end ? absl::ToUnixMicros(*end) : int64_t{0});
        TouchMember(tx, member->id);
        RevokeAllSessions(tx, member->id);
        const std::string resource =
            MemberResourceName(name->tenant, member->id);
        events::v1::Event event =
            NewIdentityEvent(context, name->tenant, ActorOf(caller), resource);
        events::v1::MemberSuspended* payload = event.mutable_member_suspended();
        payload->set_member(resource);
        payload->set_reason(request.reason());
        if (end) SetTimestamp(payload->mutable_end_time(), *end);
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        absl::StatusOr<MemberRecord> after =
            LoadMember(tx, name->tenant, member->id);
        if (!after.ok()) return after.status();
        suspended = ToMemberProto(*after);
        idempotency::SaveResponse(tx, key, suspended);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return suspended;
}

absl::StatusOr<v1::Member> ReinstateMember(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ReinstateMemberRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireModeration(caller, name->tenant); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("reason", request.reason(), 0, 500);
      !s.ok()) {
    return s;
  }
  v1::Member reinstated;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        if (member->state != v1::Member::STATE_SUSPENDED) {
          // A retry after success lands here too and answers the same.
          if (member->state == v1::Member::STATE_ACTIVE &&
              !request.request_id().empty()) {
            reinstated = ToMemberProto(*member);
            return absl::OkStatus();
          }
          return absl::FailedPreconditionError("the member is not suspended");
        }
        tx.exec_params(
            "UPDATE members SET state = $2, suspension_reason = '',"
            " suspension_end_time = NULL WHERE id = $1::uuid",
            member->id, static_cast<int>(v1::Member::STATE_ACTIVE));
        TouchMember(tx, member->id);
        const std::string resource =
            MemberResourceName(name->tenant, member->id);
        events::v1::Event event =
            NewIdentityEvent(context, name->tenant, ActorOf(caller), resource);
        event.mutable_member_reinstated()->set_member(resource);
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        absl::StatusOr<MemberRecord> after =
            LoadMember(tx, name->tenant, member->id);
        if (!after.ok()) return after.status();
        reinstated = ToMemberProto(*after);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return reinstated;
}

}  // namespace agora::identity
