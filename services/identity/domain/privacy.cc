#include "services/identity/domain/privacy.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/message.h>

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/events/erasure.h"
#include "libs/logging/log.h"
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

// Whether an identity event is about `member` (a resource name): its subject,
// or the `member` field of its payload (every identity event about a member
// names them there; some carry their e-mail, display name or avatar).
bool IsAboutMember(const events::v1::Event& event, const std::string& member) {
  if (event.subject() == member) return true;
  const google::protobuf::OneofDescriptor* oneof =
      event.GetDescriptor()->FindOneofByName("payload");
  const google::protobuf::FieldDescriptor* set =
      event.GetReflection()->GetOneofFieldDescriptor(event, oneof);
  if (set == nullptr ||
      set->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) {
    return false;
  }
  const google::protobuf::Message& payload =
      event.GetReflection()->GetMessage(event, set);
  const google::protobuf::FieldDescriptor* field =
      payload.GetDescriptor()->FindFieldByName("member");
  return field != nullptr && !field->is_repeated() &&
         field->type() == google::protobuf::FieldDescriptor::TYPE_STRING &&
         payload.GetReflection()->GetString(payload, field) == member;
}

// Deletes the stream entries of the events an erasure forgot. Not a failure
// of the erasure when Redis is unavailable: the entries stay noted and the
// relay deletes them once it is back.
void DeleteForgottenEntries(IdentityContext& context) {
  const std::string stream =
      context.keys.SharedKey("events", {context.outbox.producer()});
  absl::StatusOr<int64_t> deleted =
      events::DeleteForgottenStreamEntries(context.pool, context.redis, stream);
  if (!deleted.ok()) {
    logging::Warn("erasure: stream entries left to the relay",
                  {{"stream", stream}, {"error", deleted.status().ToString()}});
  }
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
    // A retry: finishes what the first attempt may have left to Redis.
    DeleteForgottenEntries(context);
    return ToMemberProto(*member);
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
        // Answers saved for retried writes hold her account or profile:
        // SignUp's under her e-mail key, her own UpdateProfile's, a
        // moderator's SuspendMember's ... Every one naming her goes.
        tx.exec_params(
            "DELETE FROM idempotent_responses WHERE tenant = $1 AND"
            " (caller IN ($2, $3, $4)"
            "  OR position(convert_to($3, 'UTF8') in response) > 0)",
            name->tenant, id, resource, current->email_key);
        // The events that carried her data (sign-up and reset mails with
        // her e-mail, profiles with her name and avatar ...) go from the
        // outbox, published or not; their stream entries after the commit.
        absl::StatusOr<events::ForgottenEvents> forgotten =
            events::ForgetEvents(
                tx, context.outbox,
                {.tenant = absl::StrCat("tenants/", name->tenant),
                 .payload_contains = resource,
                 .matches = [&resource](const events::v1::Event& event) {
                   return IsAboutMember(event, resource);
                 }});
        if (!forgotten.ok()) return forgotten.status();
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
  DeleteForgottenEntries(context);
  return erased;
}

}  // namespace agora::identity
