#include "services/identity/domain/roles.h"

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/page_tokens.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/linked_records.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {
namespace {

struct RoleChangeRequest {
  std::string name;
  common::v1::Role role;
  std::string reason;
  std::string request_id;
};

absl::StatusOr<v1::Member> ChangeRole(IdentityContext& context,
                                      const auth::Principal& caller,
                                      const RoleChangeRequest& request,
                                      bool grant) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name, &caller);
  if (!name.ok()) return name.status();
  if (request.role == common::v1::ROLE_UNSPECIFIED ||
      request.role == common::v1::ROLE_MEMBER ||
      request.role == common::v1::ROLE_SERVICE ||
      !common::v1::Role_IsValid(request.role)) {
    return absl::InvalidArgumentError(
        "role: must be TRUSTED_MEMBER, STAFF, MODERATOR, JURY, TENANT_ADMIN "
        "or PLATFORM_ADMIN");
  }
  if (request.role == common::v1::ROLE_PLATFORM_ADMIN) {
    if (!IsPlatformAdmin(caller)) {
      return absl::PermissionDeniedError(
          "only platform admins grant or revoke PLATFORM_ADMIN");
    }
    if (!grant && IsSelf(caller, name->tenant, name->member)) {
      return absl::PermissionDeniedError(
          "a platform admin cannot revoke their own PLATFORM_ADMIN");
    }
  } else if (absl::Status s = RequireTenantRole(caller, name->tenant,
                                                {auth::kRoleTenantAdmin});
             !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("reason", request.reason, 0, 500);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id);
      !s.ok()) {
    return s;
  }
  const std::string role = *RoleName(request.role);
  const common::v1::Actor actor = ActorOf(caller);
  v1::Member changed;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        if (member->state == v1::Member::STATE_ERASED) {
          return absl::FailedPreconditionError("the member was erased");
        }
        // Granting a held role (or revoking one not held) changes nothing:
        // retries are idempotent without a stored answer.
        if (member->HasRole(role) != grant) {
          if (grant) {
            tx.exec_params(
                "INSERT INTO member_roles (member, role) VALUES ($1::uuid, $2)",
                member->id, role);
          } else {
            tx.exec_params(
                "DELETE FROM member_roles WHERE member = $1::uuid AND role = "
                "$2",
                member->id, role);
          }
          TouchMember(tx, member->id);
          const pqxx::result change = tx.exec_params(
              "INSERT INTO role_changes (id, tenant, member, role, granted,"
              " actor_type, actor_name, reason)"
              " VALUES (gen_random_uuid(), $1, $2::uuid, $3, $4, $5, $6, $7)"
              " RETURNING id::text",
              name->tenant, member->id, role, grant,
              static_cast<int>(actor.type()), actor.name(), request.reason);
          LoadRoles(tx, *member);
          const std::string resource =
              MemberResourceName(name->tenant, member->id);
          events::v1::Event event =
              NewIdentityEvent(context, name->tenant, actor, resource);
          events::v1::RoleChanged* payload = event.mutable_role_changed();
          payload->set_member(resource);
          payload->set_role(request.role);
          payload->set_granted(grant);
          for (const std::string& held : member->roles) {
            payload->add_roles(RoleFromName(held));
          }
          payload->set_reason(request.reason);
          payload->set_role_change(
              absl::StrCat("tenants/", name->tenant, "/roleChanges/",
                           change[0][0].as<std::string>()));
          if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) {
            return s;
          }
        }
        absl::StatusOr<MemberRecord> after =
            LoadMember(tx, name->tenant, member->id);
        if (!after.ok()) return after.status();
        changed = ToMemberProto(*after);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return changed;
}

}  // namespace

absl::StatusOr<v1::Member> GrantRole(IdentityContext& context,
                                     const auth::Principal& caller,
                                     const v1::GrantRoleRequest& request) {
  return ChangeRole(
      context, caller,
      {request.name(), request.role(), request.reason(), request.request_id()},
      true);
}

absl::StatusOr<v1::Member> RevokeRole(IdentityContext& context,
                                      const auth::Principal& caller,
                                      const v1::RevokeRoleRequest& request) {
  return ChangeRole(
      context, caller,
      {request.name(), request.role(), request.reason(), request.request_id()},
      false);
}

absl::StatusOr<v1::ListRoleChangesResponse> ListRoleChanges(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListRoleChangesRequest& request) {
  absl::StatusOr<std::string> tenant =
      ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          RequireTenantRole(caller, *tenant, {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  std::string member;
  if (!request.member().empty()) {
    absl::StatusOr<MemberName> parsed =
        ParseMemberName("member", request.member(), &caller);
    if (!parsed.ok()) return parsed.status();
    if (parsed->tenant != *tenant) {
      return absl::InvalidArgumentError("member: must be of the tenant");
    }
    member = parsed->member;
  }
  absl::StatusOr<int> page_size = PageSizeOf(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<TimeIdPosition> after =
      DecodeTimeIdPageToken(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListRoleChangesResponse response;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.Clear();
        const pqxx::result rows = tx.exec_params(
            absl::StrCat(
                "SELECT ", kRoleChangeColumns,
                " FROM role_changes WHERE tenant = $1"
                " AND ($2 = '' OR member = nullif($2, '')::uuid)"
                " AND ($3 = '' OR (create_time, id) <"
                "      (to_timestamp($4::float8 / 1e6), nullif($3, '')::uuid))"
                " ORDER BY create_time DESC, id DESC LIMIT $5"),
            *tenant, member, after->id, after->micros, *page_size + 1);
        for (int i = 0; i < static_cast<int>(rows.size()) && i < *page_size;
             ++i) {
          *response.add_role_changes() = RoleChangeFromRow(rows[i], *tenant);
        }
        if (static_cast<int>(rows.size()) > *page_size) {
          const auto& last = rows[*page_size - 1];
          response.set_next_page_token(EncodeTimeIdPageToken(
              last[7].as<int64_t>(), last[0].as<std::string>()));
        }
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

}  // namespace agora::identity
