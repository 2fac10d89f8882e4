#include "services/identity/domain/sign_up.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/identity/domain/display_name.h"
#include "services/identity/domain/email_address.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/login_throttle.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/password_policy.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/one_time_tokens.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

// Writes the EmailVerificationRequested event with a new token.
absl::Status RequestVerification(IdentityContext& context,
                                 pqxx::transaction_base& tx,
                                 const MemberRecord& member) {
  const absl::Time expiry =
      context.now() + context.settings.email_verification_ttl;
  const std::string token = CreateOneTimeToken(
      tx, kVerifyEmailPurpose, member.tenant, member.id, expiry);
  const std::string name = MemberResourceName(member.tenant, member.id);
  events::v1::Event event =
      NewIdentityEvent(context, member.tenant, AnonymousActor(), name);
  events::v1::EmailVerificationRequested* payload =
      event.mutable_email_verification_requested();
  payload->set_member(name);
  payload->set_email(member.email);
  payload->set_language(member.language);
  payload->set_token(token);
  SetTimestamp(payload->mutable_expire_time(), expiry);
  return AppendEvent(context, tx, event);
}

}  // namespace

absl::StatusOr<v1::Member> SignUp(IdentityContext& context,
                                  const auth::Principal* caller,
                                  const CallInfo& call,
                                  const v1::SignUpRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("parent", request.parent());
  if (!tenant_id.ok()) return tenant_id.status();
  absl::StatusOr<EmailAddress> email = NormalizeEmail("email", request.email());
  if (!email.ok()) return email.status();
  if (absl::Status s =
          ValidateNewPassword("password", request.password(), email->key);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          ValidateDisplayNameFormat("display_name", request.display_name());
      !s.ok()) {
    return s;
  }
  if (!request.language().empty()) {
    if (absl::Status s = ValidateLanguageTag("language", request.language());
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s =
          ValidateText("terms_version", request.terms_version(), 1, 32);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> name_key = DisplayNameKey(request.display_name());
  if (!name_key.ok()) return name_key.status();
  if (absl::Status s = CheckAccountRequestRate(context, *tenant_id, "signup",
                                               call.client_address);
      !s.ok()) {
    return s;
  }
  // Hashing before the transaction keeps argon2's ~50 ms out of it.
  absl::StatusOr<std::string> hash = context.passwords.Hash(request.password());
  if (!hash.ok()) return hash.status();

  const idempotency::IdempotencyKey key{*tenant_id, "SignUp",
                                        request.request_id(), email->key};
  v1::Member created;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        if (idempotency::FindSavedResponse(tx, key, created)) {
          return absl::OkStatus();
        }
        absl::StatusOr<TenantRecord> tenant =
            LoadWritableTenant(tx, *tenant_id);
        if (!tenant.ok()) return tenant.status();
        const std::string language = request.language().empty()
                                         ? tenant->default_language
                                         : request.language();
        if (!tenant->AllowsLanguage(language)) {
          return absl::InvalidArgumentError(
              "language: must be one of the tenant's allowed languages");
        }
        if (request.terms_version() != tenant->terms_version) {
          return absl::InvalidArgumentError(
              "terms_version: must be the tenant's current terms of use");
        }
        if (IsLookalikeOfReserved(*name_key, tenant->reserved_display_names)) {
          return DisplayNameUnavailable("display_name");
        }
        if (FindMemberByEmail(tx, *tenant_id, email->key).has_value()) {
          return absl::AlreadyExistsError(
              "an account already exists for this e-mail address; sign in "
              "or reset the password");
        }
        const pqxx::result taken = tx.exec_params(
            "SELECT 1 FROM members WHERE tenant = $1 AND display_name_key = $2",
            *tenant_id, *name_key);
        if (!taken.empty()) return DisplayNameUnavailable("display_name");
        const pqxx::result inserted = tx.exec_params(
            "INSERT INTO members (id, tenant, email, email_key, password_hash,"
            " display_name, display_name_key, language, state,"
            " accepted_terms_version)"
            " VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9)"
            " RETURNING id::text",
            *tenant_id, email->normalized, email->key, *hash,
            request.display_name(), *name_key, language,
            static_cast<int>(v1::Member::STATE_PENDING_VERIFICATION),
            request.terms_version());
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, *tenant_id, inserted[0][0].as<std::string>());
        if (!member.ok()) return member.status();

        const std::string name = MemberResourceName(*tenant_id, member->id);
        events::v1::Event event =
            NewIdentityEvent(context, *tenant_id, AnonymousActor(), name);
        events::v1::MemberRegistered* registered =
            event.mutable_member_registered();
        registered->set_member(name);
        registered->set_display_name(member->display_name);
        registered->set_language(member->language);
        registered->set_method(events::v1::SIGN_UP_METHOD_PASSWORD);
        SetTimestamp(registered->mutable_create_time(), member->create_time);
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        if (absl::Status s = RequestVerification(context, tx, *member);
            !s.ok()) {
          return s;
        }
        created = ToMemberProto(*member);
        idempotency::SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (done.code() == absl::StatusCode::kAlreadyExists &&
      done.message().find("display_name_key") != absl::string_view::npos) {
    return DisplayNameUnavailable("display_name");  // lost a race for it
  }
  if (done.code() == absl::StatusCode::kAlreadyExists) {
    // Our own message, or a concurrent sign-up's unique violation: never
    // PostgreSQL's text.
    return absl::AlreadyExistsError(
        "an account already exists for this e-mail address; sign in or "
        "reset the password");
  }
  if (!done.ok()) return done;
  return created;
}

absl::StatusOr<v1::Session> VerifyEmail(IdentityContext& context,
                                        const auth::Principal* caller,
                                        const CallInfo& call,
                                        const v1::VerifyEmailRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  v1::Session session;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<ConsumedToken> token = ConsumeOneTimeToken(
            tx, "token", kVerifyEmailPurpose, *tenant_id, request.token());
        if (!token.ok()) return token.status();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, *tenant_id, token->member, true);
        if (!member.ok()) return member.status();
        if (member->state == v1::Member::STATE_SUSPENDED ||
            member->state == v1::Member::STATE_ERASED) {
          return absl::InvalidArgumentError(
              "token: the link has expired or was already used");
        }
        tx.exec_params(
            "UPDATE members SET email_verified = true, state = $2,"
            " last_login_time = now() WHERE id = $1::uuid",
            member->id, static_cast<int>(v1::Member::STATE_ACTIVE));
        TouchMember(tx, member->id);
        absl::StatusOr<MemberRecord> active =
            LoadMember(tx, *tenant_id, member->id);
        if (!active.ok()) return active.status();
        absl::StatusOr<v1::Session> issued = IssueSession(context, tx, *active);
        if (!issued.ok()) return issued.status();
        session = *std::move(issued);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return session;
}

absl::StatusOr<google::protobuf::Empty> ResendVerificationEmail(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ResendVerificationEmailRequest& request) {
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
        // The same answer whether or not the address has an account.
        if (!member.has_value() ||
            member->state != v1::Member::STATE_PENDING_VERIFICATION) {
          return absl::OkStatus();
        }
        return RequestVerification(context, tx, *member);
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

}  // namespace agora::identity
