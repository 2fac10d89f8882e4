#include "services/identity/domain/sessions.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/email_address.h"
#include "services/identity/domain/login_throttle.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/password_policy.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/secret_tokens.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {
namespace {

absl::Status TokenInvalid(absl::string_view reason = "TOKEN_INVALID") {
  return status::WithReason(
      absl::UnauthenticatedError("refresh_token: invalid or expired; sign in "
                                 "again"),
      reason);
}

// Lifts a suspension whose end has passed (there is no timer: the next
// sign-in notices).
void LiftExpiredSuspension(pqxx::transaction_base& tx, MemberRecord& member,
                           absl::Time now) {
  if (member.state == v1::Member::STATE_SUSPENDED &&
      member.suspension_end_time.has_value() &&
      *member.suspension_end_time <= now) {
    tx.exec_params(
        "UPDATE members SET state = $2, suspension_reason = '',"
        " suspension_end_time = NULL WHERE id = $1::uuid",
        member.id, static_cast<int>(v1::Member::STATE_ACTIVE));
    TouchMember(tx, member.id);
    member.state = v1::Member::STATE_ACTIVE;
    member.suspension_end_time.reset();
    member.suspension_reason.clear();
  }
}

}  // namespace

absl::Status InvalidCredentials(absl::string_view field) {
  return status::WithReason(
      absl::UnauthenticatedError(
          absl::StrCat(field.empty() ? "" : absl::StrCat(field, ": "),
                       "the e-mail address or the password is not correct")),
      "INVALID_CREDENTIALS");
}

absl::Status CheckCanSignIn(const MemberRecord& member, absl::Time now) {
  switch (member.state) {
    case v1::Member::STATE_ACTIVE:
      return absl::OkStatus();
    case v1::Member::STATE_PENDING_VERIFICATION:
      return status::WithReason(
          absl::FailedPreconditionError(
              "verify your e-mail address first (see the e-mail we sent)"),
          "EMAIL_NOT_VERIFIED");
    case v1::Member::STATE_SUSPENDED:
      return status::WithReason(
          absl::PermissionDeniedError(absl::StrCat(
              "this account is suspended: ", member.suspension_reason)),
          "ACCOUNT_DISABLED");
    default:
      return InvalidCredentials();
  }
}

absl::StatusOr<v1::Session> Login(IdentityContext& context,
                                  const auth::Principal* caller,
                                  const CallInfo& call,
                                  const v1::LoginRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  absl::StatusOr<EmailAddress> email = NormalizeEmail("email", request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s =
          ValidatePresentedPassword("password", request.password());
      !s.ok()) {
    return s;
  }
  const LoginThrottle throttle(context, *tenant_id, email->key,
                               call.client_address);
  if (absl::Status s = throttle.Check(); !s.ok()) return s;

  // The look-up, outside any transaction: the password check must not hold
  // a connection for argon2's time.
  std::optional<MemberRecord> found;
  absl::Status read =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        found = FindMemberByEmail(tx, *tenant_id, email->key);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  const bool correct =
      found.has_value() && found->password_hash.has_value()
          ? context.passwords.Verify(*found->password_hash, request.password())
          : (context.passwords.VerifyAgainstDummy(request.password()), false);
  if (!correct) {
    throttle.RecordFailure();
    return InvalidCredentials();
  }
  throttle.RecordSuccess();

  std::optional<std::string> rehash;
  if (context.passwords.NeedsRehash(*found->password_hash)) {
    absl::StatusOr<std::string> hash =
        context.passwords.Hash(request.password());
    if (hash.ok()) rehash = *std::move(hash);
  }
  v1::Session session;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, *tenant_id, found->id, true);
        if (!member.ok()) return InvalidCredentials();
        LiftExpiredSuspension(tx, *member, context.now());
        if (absl::Status s = CheckCanSignIn(*member, context.now()); !s.ok()) {
          return s;
        }
        if (rehash.has_value()) {
          tx.exec_params(
              "UPDATE members SET password_hash = $2 WHERE id = $1::uuid",
              member->id, *rehash);
        }
        tx.exec_params(
            "UPDATE members SET last_login_time = now() WHERE id = $1::uuid",
            member->id);
        absl::StatusOr<v1::Session> issued = IssueSession(context, tx, *member);
        if (!issued.ok()) return issued.status();
        session = *std::move(issued);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return session;
}

absl::StatusOr<v1::Session> RefreshSession(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::RefreshSessionRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  if (!ValidateSecretTokenFormat("refresh_token", request.refresh_token())
           .ok()) {
    return TokenInvalid();
  }
  const std::string hash = HashSecretToken(request.refresh_token());
  v1::Session session;
  bool reused = false;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        reused = false;
        // Consumes the token if it is live; concurrent presentations of one
        // token serialise on its row and only the first finds it unused.
        const pqxx::result consumed = tx.exec_params(
            "UPDATE refresh_tokens SET used_time = now()"
            " WHERE token_hash = $1 AND tenant = $2 AND used_time IS NULL"
            "   AND revoked_time IS NULL AND expire_time > now()"
            " RETURNING family::text, member::text",
            pqxx::binarystring(hash), *tenant_id);
        if (consumed.empty()) {
          // Used before (and not revoked since): a copy is being replayed.
          // The family dies, the thief's and the owner's copies alike.
          const pqxx::result replayed = tx.exec_params(
              "UPDATE refresh_tokens SET revoked_time = now()"
              " WHERE family = (SELECT family FROM refresh_tokens"
              "   WHERE token_hash = $1 AND tenant = $2"
              "     AND used_time IS NOT NULL AND revoked_time IS NULL)"
              "   AND revoked_time IS NULL"
              " RETURNING 1",
              pqxx::binarystring(hash), *tenant_id);
          reused = !replayed.empty();
          return absl::OkStatus();  // commit the revocation
        }
        const std::string family = consumed[0][0].as<std::string>();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, *tenant_id, consumed[0][1].as<std::string>());
        if (!member.ok()) return TokenInvalid();
        LiftExpiredSuspension(tx, *member, context.now());
        if (absl::Status s = CheckCanSignIn(*member, context.now()); !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::Session> issued =
            IssueSession(context, tx, *member, family);
        if (!issued.ok()) return issued.status();
        session = *std::move(issued);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  if (session.refresh_token().empty()) {
    return reused ? TokenInvalid("REFRESH_TOKEN_REUSED") : TokenInvalid();
  }
  return session;
}

absl::StatusOr<google::protobuf::Empty> Logout(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::LogoutRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  if (request.refresh_token().empty() || request.refresh_token().size() > 128) {
    return absl::InvalidArgumentError(
        "refresh_token: must be the session's refresh token");
  }
  const std::string hash = HashSecretToken(request.refresh_token());
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        tx.exec_params(
            "UPDATE refresh_tokens SET revoked_time = now()"
            " WHERE revoked_time IS NULL AND ("
            "   family = (SELECT family FROM refresh_tokens"
            "             WHERE token_hash = $1 AND tenant = $2)"
            "   OR ($3 AND member = (SELECT member FROM refresh_tokens"
            "             WHERE token_hash = $1 AND tenant = $2)))",
            pqxx::binarystring(hash), *tenant_id, request.all_sessions());
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

absl::StatusOr<v1::RevokeSessionsResponse> RevokeSessions(
    IdentityContext& context, const auth::Principal& caller,
    const v1::RevokeSessionsRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), &caller);
  if (!name.ok()) return name.status();
  if (!IsSelf(caller, name->tenant, name->member)) {
    if (absl::Status s =
            RequireTenantRole(caller, name->tenant, {auth::kRoleTenantAdmin});
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ValidateText("reason", request.reason(), 0, 500);
      !s.ok()) {
    return s;
  }
  v1::RevokeSessionsResponse response;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member);
        if (!member.ok()) return member.status();
        response.set_revoked_count(RevokeAllSessions(tx, member->id));
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

}  // namespace agora::identity
