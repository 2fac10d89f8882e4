#include "services/identity/domain/social_login.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/auth/roles.h"
#include "libs/config/secret.h"
#include "libs/logging/log.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/display_name.h"
#include "services/identity/domain/email_address.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/login_throttle.h"
#include "services/identity/domain/password_hasher.h"
#include "services/identity/domain/password_policy.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/secret_tokens.h"
#include "services/identity/domain/session_issuer.h"
#include "services/identity/domain/sessions.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/oidc/authorization_url.h"
#include "services/identity/oidc/pkce.h"
#include "services/identity/oidc/provider_client.h"
#include "services/identity/repository/linked_records.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/one_time_tokens.h"
#include "services/identity/repository/provider_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

struct LoginFlow {
  std::string nonce, code_verifier, redirect_uri;
  v1::SocialLoginIntent intent = v1::SOCIAL_LOGIN_INTENT_SIGN_IN;
  std::string member;  // for LINK
};

absl::StatusOr<ProviderRecord> LoadEnabledProvider(pqxx::transaction_base& tx,
                                                   const ChildName& name) {
  absl::StatusOr<ProviderRecord> provider =
      LoadProvider(tx, name.tenant, name.id);
  if (!provider.ok() || !provider->enabled) {
    return absl::NotFoundError("identity provider not found");
  }
  return provider;
}

// The protocol settings of `provider`, without its client secret (enough
// to build the authorization URL).
oidc::ProviderConfig PublicConfigOf(const ProviderRecord& provider) {
  oidc::ProviderConfig config;
  config.protocol = provider.type == v1::IdentityProvider::TYPE_X
                        ? oidc::Protocol::kOAuth2UserInfo
                        : oidc::Protocol::kOpenIdConnect;
  config.issuer = provider.issuer;
  config.authorization_endpoint = provider.authorization_endpoint;
  config.token_endpoint = provider.token_endpoint;
  config.userinfo_endpoint = provider.userinfo_endpoint;
  config.jwks_uri = provider.jwks_uri;
  config.client_id = provider.client_id;
  config.scopes = provider.scopes;
  return config;
}

// The full settings, with the client secret read from its source.
absl::StatusOr<oidc::ProviderConfig> ConfigOf(const ProviderRecord& provider) {
  oidc::ProviderConfig config = PublicConfigOf(provider);
  absl::StatusOr<std::string> secret =
      config::ReadSecret(provider.client_secret_source);
  if (!secret.ok()) {
    logging::Error(
        "identity provider secret unavailable",
        {{"provider", provider.id}, {"error", secret.status().ToString()}});
    return absl::UnavailableError(
        "the identity provider is not available right now");
  }
  config.client_secret = *std::move(secret);
  return config;
}

// A display name for a member created by a provider sign-in: the provider's
// name when it is valid and free, else "member-" and 8 random characters
// (the member can change it in their profile).
std::string FreeDisplayName(pqxx::transaction_base& tx,
                            const TenantRecord& tenant,
                            const std::string& wanted) {
  if (ValidateDisplayNameFormat("display_name", wanted).ok()) {
    absl::StatusOr<std::string> key = DisplayNameKey(wanted);
    if (key.ok() &&
        !IsLookalikeOfReserved(*key, tenant.reserved_display_names) &&
        tx.exec_params("SELECT 1 FROM members WHERE tenant = $1 AND"
                       " display_name_key = $2",
                       tenant.id, *key)
            .empty()) {
      return wanted;
    }
  }
  std::string random = NewSecretToken(6);
  for (char& c : random) {
    if (c == '-' || c == '_') c = 'x';
  }
  return absl::StrCat("member-", random);
}

void InsertExternalIdentity(pqxx::transaction_base& tx,
                            const std::string& tenant,
                            const std::string& member,
                            const std::string& provider,
                            const oidc::ExternalUser& user) {
  tx.exec_params(
      "INSERT INTO external_identities (id, tenant, member, provider, subject,"
      " email, email_verified, last_login_time)"
      " VALUES (gen_random_uuid(), $1, $2::uuid, $3, $4, $5, $6, now())",
      tenant, member, provider, user.subject, user.email, user.email_verified);
}

absl::Status AnnounceLink(IdentityContext& context, pqxx::transaction_base& tx,
                          const MemberRecord& member,
                          const std::string& provider) {
  const std::string resource = MemberResourceName(member.tenant, member.id);
  common::v1::Actor actor;
  actor.set_type(common::v1::ACTOR_TYPE_MEMBER);
  actor.set_name(resource);
  events::v1::Event event =
      NewIdentityEvent(context, member.tenant, actor, resource);
  events::v1::AccountLinked* payload = event.mutable_account_linked();
  payload->set_member(resource);
  payload->set_provider(ProviderResourceName(member.tenant, provider));
  payload->set_email(member.email);
  payload->set_language(member.language);
  return AppendEvent(context, tx, event);
}

// Signs `member` in through `provider`: bank SSO makes a verified customer.
absl::StatusOr<v1::Session> SignInThrough(IdentityContext& context,
                                          pqxx::transaction_base& tx,
                                          const ProviderRecord& provider,
                                          const std::string& tenant,
                                          const std::string& member_id) {
  tx.exec_params(
      "UPDATE members SET last_login_time = now(),"
      " verified_customer = verified_customer OR $2 WHERE id = $1::uuid",
      member_id, provider.type == v1::IdentityProvider::TYPE_BANK_SSO);
  absl::StatusOr<MemberRecord> member = LoadMember(tx, tenant, member_id);
  if (!member.ok()) return member.status();
  // A suspension whose end has passed is lifted by the next sign-in, as
  // Login does (there is no timer): CheckCanSignIn expects it done.
  if (member->state == v1::Member::STATE_SUSPENDED &&
      member->suspension_end_time.has_value() &&
      *member->suspension_end_time <= context.now()) {
    tx.exec_params(
        "UPDATE members SET state = $2, suspension_reason = '',"
        " suspension_end_time = NULL WHERE id = $1::uuid",
        member->id, static_cast<int>(v1::Member::STATE_ACTIVE));
    TouchMember(tx, member->id);
    member = LoadMember(tx, tenant, member_id);
    if (!member.ok()) return member.status();
  }
  if (absl::Status s = CheckCanSignIn(*member, context.now()); !s.ok()) {
    return s;
  }
  return IssueSession(context, tx, *member);
}

}  // namespace

absl::StatusOr<v1::StartSocialLoginResponse> StartSocialLogin(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::StartSocialLoginRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseProviderName("provider", request.provider());
  if (!name.ok()) return name.status();
  if (!v1::SocialLoginIntent_IsValid(request.intent())) {
    return absl::InvalidArgumentError("intent: unknown value");
  }
  const bool link = request.intent() == v1::SOCIAL_LOGIN_INTENT_LINK;
  if (link && (caller == nullptr || caller->is_service_account ||
               caller->tenant != name->tenant)) {
    return absl::UnauthenticatedError(
        "intent LINK needs a signed-in member of this tenant");
  }
  if (!request.language().empty()) {
    if (absl::Status s = ValidateLanguageTag("language", request.language());
        !s.ok()) {
      return s;
    }
  }
  if (context.oidc == nullptr) {
    return absl::UnavailableError("social sign-in is not configured");
  }
  v1::StartSocialLoginResponse response;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<ProviderRecord> provider =
            LoadEnabledProvider(tx, *name);
        if (!provider.ok()) return provider.status();
        if (std::find(provider->allowed_redirect_uris.begin(),
                      provider->allowed_redirect_uris.end(),
                      request.redirect_uri()) ==
            provider->allowed_redirect_uris.end()) {
          return absl::InvalidArgumentError(
              "redirect_uri: not among the provider's allowed redirect URIs");
        }
        const oidc::ProviderConfig config = PublicConfigOf(*provider);
        const std::string state = NewSecretToken();
        const std::string nonce = NewSecretToken();
        const oidc::Pkce pkce = oidc::NewPkce();
        const absl::Time expiry =
            context.now() + context.settings.social_login_ttl;
        tx.exec_params(
            "INSERT INTO login_flows (state_hash, tenant, provider, nonce,"
            " code_verifier, redirect_uri, intent, member, expire_time)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, '')::uuid,"
            " to_timestamp($9::float8 / 1e6))",
            pqxx::binarystring(HashSecretToken(state)), name->tenant, name->id,
            nonce, pkce.verifier, request.redirect_uri(),
            static_cast<int>(link ? v1::SOCIAL_LOGIN_INTENT_LINK
                                  : v1::SOCIAL_LOGIN_INTENT_SIGN_IN),
            link ? caller->subject : std::string(), absl::ToUnixMicros(expiry));
        response.set_authorization_url(
            oidc::AuthorizationUrl(config, request.redirect_uri(), state, nonce,
                                   pkce.challenge, request.language()));
        response.set_state(state);
        SetTimestamp(response.mutable_expire_time(), expiry);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::FinishSocialLoginResponse> FinishSocialLogin(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::FinishSocialLoginRequest& request) {
  absl::StatusOr<ChildName> name =
      ParseProviderName("provider", request.provider());
  if (!name.ok()) return name.status();
  if (absl::Status s = ValidateText("state", request.state(), 1, 256);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("code", request.code(), 0, 2048); !s.ok()) {
    return s;
  }
  if (absl::Status s = ValidateText("error", request.error(), 0, 256);
      !s.ok()) {
    return s;
  }
  if (request.code().empty() && request.error().empty()) {
    return absl::InvalidArgumentError("code: required unless error is set");
  }
  if (context.oidc == nullptr) {
    return absl::UnavailableError("social sign-in is not configured");
  }
  // The flow is used up whatever happens next: a state works once.
  LoginFlow flow;
  std::optional<ProviderRecord> provider;
  absl::Status consumed = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        const pqxx::result rows = tx.exec_params(
            "UPDATE login_flows SET used_time = now()"
            " WHERE state_hash = $1 AND tenant = $2 AND provider = $3"
            "   AND used_time IS NULL AND expire_time > now()"
            " RETURNING nonce, code_verifier, redirect_uri, intent,"
            "   coalesce(member::text, '')",
            pqxx::binarystring(HashSecretToken(request.state())), name->tenant,
            name->id);
        if (rows.empty()) {
          return absl::InvalidArgumentError(
              "state: unknown, expired or already used; start again");
        }
        flow.nonce = rows[0][0].as<std::string>();
        flow.code_verifier = rows[0][1].as<std::string>();
        flow.redirect_uri = rows[0][2].as<std::string>();
        flow.intent = static_cast<v1::SocialLoginIntent>(rows[0][3].as<int>());
        flow.member = rows[0][4].as<std::string>();
        absl::StatusOr<ProviderRecord> loaded = LoadEnabledProvider(tx, *name);
        if (!loaded.ok()) return loaded.status();
        provider = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!consumed.ok()) return consumed;
  // A LINK flow attaches the provider account to the member who started it,
  // so only that member may finish it: otherwise whoever gets another
  // person's browser through the provider with their state (a link sent by
  // mail) attaches that person's provider account to their own member.
  if (flow.intent == v1::SOCIAL_LOGIN_INTENT_LINK) {
    if (caller == nullptr) {
      return absl::UnauthenticatedError(
          "intent LINK is finished by the signed-in member who started it");
    }
    if (!IsSelf(*caller, name->tenant, flow.member)) {
      return absl::PermissionDeniedError(
          "this sign-in was started by another member");
    }
  }
  if (!request.error().empty()) {
    return absl::FailedPreconditionError(
        "the sign-in was cancelled or refused at the provider");
  }
  absl::StatusOr<oidc::ProviderConfig> config = ConfigOf(*provider);
  if (!config.ok()) return config.status();
  absl::StatusOr<oidc::ExternalUser> user =
      context.oidc->FinishLogin(*config, request.code(), flow.redirect_uri,
                                flow.code_verifier, flow.nonce);
  if (!user.ok()) {
    switch (user.status().code()) {
      case absl::StatusCode::kUnauthenticated:
        return status::WithReason(user.status(), "TOKEN_INVALID");
      case absl::StatusCode::kFailedPrecondition:
        logging::Error(
            "identity provider refused our configuration",
            {{"provider", provider->id}, {"error", user.status().ToString()}});
        return absl::UnavailableError(
            "the identity provider is not available right now");
      default:
        return user.status();
    }
  }
  if (!user->email.empty()) {
    absl::StatusOr<EmailAddress> email = NormalizeEmail("email", user->email);
    user->email = email.ok() ? email->normalized : "";
    if (!email.ok()) user->email_verified = false;
  }

  v1::FinishSocialLoginResponse response;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        response.Clear();
        absl::StatusOr<TenantRecord> tenant = LoadTenant(tx, name->tenant);
        if (!tenant.ok()) return tenant.status();
        const pqxx::result linked = tx.exec_params(
            "SELECT member::text FROM external_identities"
            " WHERE tenant = $1 AND provider = $2 AND subject = $3",
            name->tenant, name->id, user->subject);
        if (flow.intent == v1::SOCIAL_LOGIN_INTENT_LINK) {
          if (!linked.empty() &&
              linked[0][0].as<std::string>() != flow.member) {
            return absl::AlreadyExistsError(
                "this provider account is linked to another member");
          }
          absl::StatusOr<MemberRecord> member =
              LoadMember(tx, name->tenant, flow.member);
          if (!member.ok()) return member.status();
          if (linked.empty()) {
            InsertExternalIdentity(tx, name->tenant, member->id, name->id,
                                   *user);
            if (absl::Status s = AnnounceLink(context, tx, *member, name->id);
                !s.ok()) {
              return s;
            }
          }
          absl::StatusOr<v1::Session> session =
              SignInThrough(context, tx, *provider, name->tenant, member->id);
          if (!session.ok()) return session.status();
          *response.mutable_session() = *std::move(session);
          return absl::OkStatus();
        }
        if (!linked.empty()) {
          const std::string member = linked[0][0].as<std::string>();
          tx.exec_params(
              "UPDATE external_identities SET last_login_time = now(),"
              " email = $4, email_verified = $5"
              " WHERE tenant = $1 AND provider = $2 AND subject = $3",
              name->tenant, name->id, user->subject, user->email,
              user->email_verified);
          absl::StatusOr<v1::Session> session =
              SignInThrough(context, tx, *provider, name->tenant, member);
          if (!session.ok()) return session.status();
          *response.mutable_session() = *std::move(session);
          return absl::OkStatus();
        }
        std::optional<MemberRecord> existing;
        if (!user->email.empty()) {
          absl::StatusOr<EmailAddress> email =
              NormalizeEmail("email", user->email);
          if (email.ok()) {
            existing = FindMemberByEmail(tx, name->tenant, email->key);
          }
        }
        if (existing.has_value()) {
          if (!user->email_verified) {
            return status::WithReason(
                absl::FailedPreconditionError(
                    "an account uses this e-mail address: sign in with its "
                    "password, then link this provider"),
                "LINK_CONFIRMATION_REQUIRED");
          }
          const absl::Time expiry =
              context.now() + context.settings.link_confirmation_ttl;
          const std::string token = CreateOneTimeToken(
              tx, kAccountLinkPurpose, name->tenant, existing->id, expiry,
              {{"provider", name->id},
               {"subject", user->subject},
               {"email", user->email},
               {"email_verified", user->email_verified}});
          v1::LinkConfirmation* confirmation =
              response.mutable_link_confirmation();
          confirmation->set_link_token(token);
          confirmation->set_masked_email(MaskEmail(existing->email));
          confirmation->set_provider(request.provider());
          confirmation->set_password_available(
              existing->password_hash.has_value());
          SetTimestamp(confirmation->mutable_expire_time(), expiry);
          return absl::OkStatus();
        }
        if (tenant->state == v1::Tenant::STATE_SUSPENDED) {
          return absl::FailedPreconditionError(
              "the tenant is suspended: read-only for now");
        }
        // A new member.
        std::string email_key;
        if (!user->email.empty()) {
          email_key = NormalizeEmail("email", user->email)->key;
        }
        const std::string display_name =
            FreeDisplayName(tx, *tenant, user->name);
        const bool bank = provider->type == v1::IdentityProvider::TYPE_BANK_SSO;
        const pqxx::result inserted = tx.exec_params(
            "INSERT INTO members (id, tenant, email, email_key,"
            " email_verified, display_name, display_name_key, language, state,"
            " verified_customer, last_login_time)"
            " VALUES (gen_random_uuid(), $1, nullif($2, ''), nullif($3, ''),"
            " $4, $5, $6, $7, $8, $9, now()) RETURNING id::text",
            name->tenant, user->email, email_key, user->email_verified,
            display_name, *DisplayNameKey(display_name),
            tenant->default_language,
            static_cast<int>(v1::Member::STATE_ACTIVE), bank);
        const std::string member_id = inserted[0][0].as<std::string>();
        InsertExternalIdentity(tx, name->tenant, member_id, name->id, *user);
        const std::string resource =
            MemberResourceName(name->tenant, member_id);
        events::v1::Event event =
            NewIdentityEvent(context, name->tenant, AnonymousActor(), resource);
        events::v1::MemberRegistered* registered =
            event.mutable_member_registered();
        registered->set_member(resource);
        registered->set_display_name(display_name);
        registered->set_language(tenant->default_language);
        registered->set_method(events::v1::SIGN_UP_METHOD_IDENTITY_PROVIDER);
        registered->set_provider(request.provider());
        registered->set_verified_customer(bank);
        SetTimestamp(registered->mutable_create_time(), context.now());
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        absl::StatusOr<v1::Session> session =
            SignInThrough(context, tx, *provider, name->tenant, member_id);
        if (!session.ok()) return session.status();
        *response.mutable_session() = *std::move(session);
        response.set_new_member(true);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<v1::Session> ConfirmAccountLink(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::ConfirmAccountLinkRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  std::optional<ConsumedToken> pending;
  std::optional<MemberRecord> member;
  absl::Status read = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<ConsumedToken> token =
            PeekOneTimeToken(tx, "link_token", kAccountLinkPurpose, *tenant_id,
                             request.link_token());
        if (!token.ok()) return token.status();
        pending = *std::move(token);
        absl::StatusOr<MemberRecord> loaded =
            LoadMember(tx, *tenant_id, pending->member);
        if (!loaded.ok()) return loaded.status();
        member = *std::move(loaded);
        return absl::OkStatus();
      });
  if (!read.ok()) return read;
  // Ownership of the existing account: its access token, or its password.
  if (caller == nullptr || !IsSelf(*caller, *tenant_id, member->id)) {
    if (!member->password_hash.has_value()) {
      return absl::FailedPreconditionError(
          "this account has no password: sign in with a provider it is "
          "linked to, then confirm");
    }
    if (absl::Status s =
            ValidatePresentedPassword("password", request.password());
        !s.ok()) {
      return s;
    }
    const LoginThrottle throttle(context, *tenant_id, member->email_key,
                                 call.client_address);
    if (absl::Status s = throttle.Check(); !s.ok()) return s;
    if (!context.passwords.Verify(*member->password_hash, request.password())) {
      throttle.RecordFailure();
      return InvalidCredentials("password");
    }
    throttle.RecordSuccess();
  }
  v1::Session session;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<ConsumedToken> token =
            ConsumeOneTimeToken(tx, "link_token", kAccountLinkPurpose,
                                *tenant_id, request.link_token());
        if (!token.ok()) return token.status();
        const std::string provider_id =
            token->payload.value("provider", std::string());
        absl::StatusOr<ProviderRecord> provider =
            LoadEnabledProvider(tx, ChildName{*tenant_id, provider_id});
        if (!provider.ok()) return provider.status();
        oidc::ExternalUser user;
        user.subject = token->payload.value("subject", std::string());
        user.email = token->payload.value("email", std::string());
        user.email_verified = token->payload.value("email_verified", false);
        const pqxx::result linked = tx.exec_params(
            "SELECT 1 FROM external_identities WHERE tenant = $1"
            " AND provider = $2 AND subject = $3",
            *tenant_id, provider_id, user.subject);
        if (!linked.empty()) {
          return absl::AlreadyExistsError(
              "this provider account is already linked");
        }
        InsertExternalIdentity(tx, *tenant_id, member->id, provider_id, user);
        // The provider vouched for the address and the member proved the
        // account: what the verification e-mail proves, so a pending account
        // becomes active (as a password reset makes it).
        tx.exec_params(
            "UPDATE members SET email_verified = true,"
            " state = CASE WHEN state = $2 THEN $3 ELSE state END"
            " WHERE id = $1::uuid",
            member->id,
            static_cast<int>(v1::Member::STATE_PENDING_VERIFICATION),
            static_cast<int>(v1::Member::STATE_ACTIVE));
        TouchMember(tx, member->id);
        if (absl::Status s = AnnounceLink(context, tx, *member, provider_id);
            !s.ok()) {
          return s;
        }
        absl::StatusOr<v1::Session> issued =
            SignInThrough(context, tx, *provider, *tenant_id, member->id);
        if (!issued.ok()) return issued.status();
        session = *std::move(issued);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return session;
}

absl::StatusOr<v1::ListExternalIdentitiesResponse> ListExternalIdentities(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ListExternalIdentitiesRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("parent", request.parent(), &caller);
  if (!name.ok()) return name.status();
  if (!IsSelf(caller, name->tenant, name->member)) {
    if (absl::Status s =
            RequireTenantRole(caller, name->tenant, {auth::kRoleTenantAdmin});
        !s.ok()) {
      return s;
    }
  }
  v1::ListExternalIdentitiesResponse response;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        response.Clear();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member);
        if (!member.ok()) return member.status();
        // A member has a handful of identities: one page holds them all.
        for (v1::ExternalIdentity& identity :
             LoadExternalIdentities(tx, name->tenant, member->id)) {
          *response.add_external_identities() = std::move(identity);
        }
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

absl::StatusOr<google::protobuf::Empty> DeleteExternalIdentity(
    IdentityContext& context, const auth::Principal& caller,
    const v1::DeleteExternalIdentityRequest& request) {
  const size_t split = request.name().rfind("/externalIdentities/");
  if (split == std::string::npos) {
    return absl::InvalidArgumentError(
        "name: must be of the form tenants/{tenant}/members/{member}/"
        "externalIdentities/{external_identity}");
  }
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name().substr(0, split), &caller);
  if (!name.ok()) return name.status();
  const std::string identity = request.name().substr(split + 20);
  if (!IsUuid(identity)) return absl::NotFoundError("identity not found");
  if (!IsSelf(caller, name->tenant, name->member)) {
    return absl::PermissionDeniedError(
        "only the member themselves may unlink an identity");
  }
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        const pqxx::result others = tx.exec_params(
            "SELECT count(*) FILTER (WHERE id <> $2::uuid),"
            " count(*) FILTER (WHERE id = $2::uuid)"
            " FROM external_identities WHERE member = $1::uuid",
            member->id, identity);
        if (others[0][1].as<int>() == 0) {
          return absl::NotFoundError("identity not found");
        }
        if (others[0][0].as<int>() == 0 && !member->password_hash.has_value()) {
          return absl::FailedPreconditionError(
              "this is your only way to sign in: set a password first");
        }
        tx.exec_params("DELETE FROM external_identities WHERE id = $1::uuid",
                       identity);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return google::protobuf::Empty();
}

}  // namespace agora::identity
