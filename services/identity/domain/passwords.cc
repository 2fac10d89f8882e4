#include "services/identity/domain/passwords.h"

#include <pqxx/pqxx>

#include "libs/pg/transaction.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/email_address.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/login_throttle.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/password_policy.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/one_time_tokens.h"

namespace agora::identity {

absl::StatusOr<google::protobuf::Empty> RequestPasswordReset(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::RequestPasswordResetRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  absl::StatusOr<EmailAddress> email = NormalizeEmail("email", request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s = CheckAccountRequestRate(context, *tenant_id, "mail",
                                               call.client_address);
      !s.ok()) {
    return s;
  }
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        std::optional<MemberRecord> member =
            FindMemberByEmail(tx, *tenant_id, email->key, true);
        if (!member.has_value() || member->state == v1::Member::STATE_ERASED) {
          return absl::OkStatus();  // same answer, nothing sent
        }
        const absl::Time expiry =
            context.now() + context.settings.password_reset_ttl;
        const std::string token = CreateOneTimeToken(
            tx, kPasswordResetPurpose, member->tenant, member->id, expiry);
        const std::string name = MemberResourceName(member->tenant, member->id);
        events::v1::Event event =
            NewIdentityEvent(context, member->tenant, AnonymousActor(), name);
        events::v1::PasswordResetRequested* payload =
            event.mutable_password_reset_requested();
        payload->set_member(name);
        payload->set_email(member->email);
        payload->set_language(member->language);
        payload->set_token(token);
        SetTimestamp(payload->mutable_expire_time(), expiry);
        return AppendEvent(context, tx, event);
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

absl::StatusOr<google::protobuf::Empty> ConfirmPasswordReset(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ConfirmPasswordResetRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  if (absl::Status s =
          ValidateNewPassword("new_password", request.new_password(), "");
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> hash =
      context.passwords.Hash(request.new_password());
  if (!hash.ok()) return hash.status();
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<ConsumedToken> token = ConsumeOneTimeToken(
            tx, "token", kPasswordResetPurpose, *tenant_id, request.token());
        if (!token.ok()) return token.status();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, *tenant_id, token->member, true);
        if (!member.ok()) return member.status();
        if (absl::Status s = ValidateNewPassword(
                "new_password", request.new_password(), member->email_key);
            !s.ok()) {
          return s;
        }
        // The link proved the address: a pending account becomes verified.
        tx.exec_params(
            "UPDATE members SET password_hash = $2, email_verified = true,"
            " state = CASE WHEN state = $3 THEN $4 ELSE state END"
            " WHERE id = $1::uuid",
            member->id, *hash,
            static_cast<int>(v1::Member::STATE_PENDING_VERIFICATION),
            static_cast<int>(v1::Member::STATE_ACTIVE));
        TouchMember(tx, member->id);
        RevokeAllSessions(tx, member->id);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

absl::StatusOr<google::protobuf::Empty> ChangePassword(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ChangePasswordRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (!IsSelf(caller, name->tenant, name->member)) {
    return absl::PermissionDeniedError(
        "only the member themselves may change their password");
  }
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
  if (absl::Status s = ValidateNewPassword(
          "new_password", request.new_password(), member->email_key);
      !s.ok()) {
    return s;
  }
  if (member->password_hash.has_value()) {
    if (absl::Status s = ValidatePresentedPassword("current_password",
                                                   request.current_password());
        !s.ok()) {
      return s;
    }
    const LoginThrottle throttle(context, name->tenant, member->email_key, "");
    if (absl::Status s = throttle.Check(); !s.ok()) return s;
    if (!context.passwords.Verify(*member->password_hash,
                                  request.current_password())) {
      throttle.RecordFailure();
      return InvalidCredentials("current_password");
    }
  }
  absl::StatusOr<std::string> hash =
      context.passwords.Hash(request.new_password());
  if (!hash.ok()) return hash.status();
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tx.exec_params(
            "UPDATE members SET password_hash = $2 WHERE id = $1::uuid",
            member->id, *hash);
        TouchMember(tx, member->id);
        RevokeAllSessions(tx, member->id);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

}  // namespace agora::identity
