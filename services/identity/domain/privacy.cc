#include "services/identity/domain/privacy.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/password_policy.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/linked_records.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {
namespace {

absl::Status RequireSelfOrAdmin(const auth::Principal& caller,
                                const MemberName& name) {
  if (IsSelf(caller, name.tenant, name.member)) return absl::OkStatus();
  return RequireTenantRole(caller, name.tenant, {auth::kRoleTenantAdmin});
}

}  // namespace

absl::StatusOr<v1::MemberIdentityData> ExportMemberData(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireSelfOrAdmin(caller, *name); !s.ok()) return s;
  v1::MemberIdentityData data;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        data.Clear();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member);
        if (!member.ok()) return member.status();
        *data.mutable_member() = ToMemberProto(*member);
        *data.mutable_profile() = ToProfileProto(tx, *member);
        for (v1::ExternalIdentity& identity :
             LoadExternalIdentities(tx, name->tenant, member->id)) {
          *data.add_external_identities() = std::move(identity);
        }
        // Changes of this member's roles only. Which admin made them is
        // that admin's personal data: the export says a member did, not
        // who (the tenant's own audit, ListRoleChanges, keeps the name).
        const std::string self = MemberResourceName(name->tenant, member->id);
        for (const auto& row : tx.exec_params(
                 absl::StrCat("SELECT ", kRoleChangeColumns,
                              " FROM role_changes WHERE member = $1::uuid"
                              " ORDER BY create_time"),
                 member->id)) {
          v1::RoleChange change = RoleChangeFromRow(row, name->tenant);
          if (change.actor().type() == common::v1::ACTOR_TYPE_MEMBER &&
              change.actor().name() != self) {
            change.mutable_actor()->clear_name();
          }
          *data.add_role_changes() = std::move(change);
        }
        SetTimestamp(data.mutable_export_time(), context.now());
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return data;
}

absl::StatusOr<v1::Member> EraseMember(IdentityContext& context,
                                       const auth::Principal& caller,
                                       const v1::EraseMemberRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (absl::Status s = RequireSelfOrAdmin(caller, *name); !s.ok()) return s;
  if (absl::Status s = ValidateText("reason", request.reason(), 0, 500);
      !s.ok()) {
    return s;
  }
  const bool self = IsSelf(caller, name->tenant, name->member);
  std::optional<MemberRecord> member;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<MemberRecord> loaded =
            LoadMember(tx, name->tenant, name->member);
        if (!loaded.ok()) return loaded.status();
        member = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  if (member->state == v1::Member::STATE_ERASED) {
    return ToMemberProto(*member);  // already erased: a retry
  }
  // A member erasing their own account proves it with their password.
  if (self && member->password_hash.has_value()) {
    if (!ValidatePresentedPassword("password", request.password()).ok() ||
        !context.passwords.Verify(*member->password_hash, request.password())) {
      return InvalidCredentials("password");
    }
  }
  v1::Member erased;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> current =
            LoadMember(tx, name->tenant, name->member, true);
        if (!current.ok()) return current.status();
        if (!request.etag().empty() && request.etag() != MemberEtag(*current)) {
          return api::EtagMismatch("etag", "the account");
        }
        const std::string& id = current->id;
        tx.exec_params(
            "UPDATE members SET email = NULL, email_key = NULL,"
            " email_verified = false, password_hash = NULL,"
            " display_name = NULL, display_name_key = NULL, avatar_uri = '',"
            " bio = '', state = $2, suspension_reason = '',"
            " suspension_end_time = NULL, last_login_time = NULL,"
            " verified_customer = false, profile_version = profile_version + 1"
            " WHERE id = $1::uuid",
            id, static_cast<int>(v1::Member::STATE_ERASED));
        TouchMember(tx, id);
        tx.exec_params("DELETE FROM member_roles WHERE member = $1::uuid", id);
        tx.exec_params(
            "DELETE FROM external_identities WHERE member = $1::uuid", id);
        tx.exec_params("DELETE FROM refresh_tokens WHERE member = $1::uuid",
                       id);
        tx.exec_params("DELETE FROM one_time_tokens WHERE member = $1::uuid",
                       id);
        tx.exec_params("DELETE FROM member_titles WHERE member = $1::uuid", id);
        tx.exec_params("DELETE FROM member_activity WHERE member = $1::uuid",
                       id);
        tx.exec_params(
            "UPDATE login_flows SET member = NULL WHERE member = $1::uuid", id);
        // Role changes keep the tenant's audit of who held which role; the
        // member id in them is now an anonymous shell's. Reasons written by
        // admins about the member go.
        tx.exec_params(
            "UPDATE role_changes SET reason = '' WHERE member = $1::uuid", id);
        const std::string resource = MemberResourceName(name->tenant, id);
        events::v1::Event event =
            NewIdentityEvent(context, name->tenant, ActorOf(caller), resource);
        events::v1::MemberErased* payload = event.mutable_member_erased();
        payload->set_member(resource);
        SetTimestamp(payload->mutable_erase_time(), context.now());
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        absl::StatusOr<MemberRecord> after = LoadMember(tx, name->tenant, id);
        if (!after.ok()) return after.status();
        erased = ToMemberProto(*after);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return erased;
}

}  // namespace agora::identity
