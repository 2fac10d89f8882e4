#include "services/identity/domain/session_issuer.h"

#include <pqxx/pqxx>

#include "libs/auth/claims.h"
#include "libs/auth/roles.h"
#include "libs/events/event_record.h"
#include "services/identity/domain/secret_tokens.h"
#include "services/identity/repository/signing_keys.h"

namespace agora::identity {
namespace {

auth::Claims BaseClaims(const IdentityContext& context, absl::Time now) {
  auth::Claims claims;
  claims.issuer = context.settings.issuer;
  claims.audience = {context.settings.audience};
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires_at = now + context.settings.access_token_ttl;
  claims.token_id = events::NewEventId();
  return claims;
}

}  // namespace

absl::StatusOr<AccessToken> IssueMemberAccessToken(IdentityContext& context,
                                                   const MemberRecord& member) {
  const absl::Time now = context.now();
  auth::Claims claims = BaseClaims(context, now);
  claims.subject = member.id;
  claims.tenant = member.tenant;
  claims.roles = member.roles;
  claims.trust_level = member.trust_level;
  claims.extra["verified_customer"] = member.verified_customer;
  absl::StatusOr<std::string> token = context.signing_keys.Sign(claims);
  if (!token.ok()) return token.status();
  return AccessToken{*std::move(token), claims.expires_at};
}

absl::StatusOr<AccessToken> IssueServiceAccessToken(
    IdentityContext& context, absl::string_view subject,
    absl::string_view tenant, const std::vector<std::string>& scopes) {
  const absl::Time now = context.now();
  auth::Claims claims = BaseClaims(context, now);
  claims.subject = std::string(subject);
  claims.tenant = std::string(tenant);
  claims.roles = {auth::kRoleService};
  claims.trust_level = auth::kTrustLevelLeader;
  claims.scopes = scopes;
  absl::StatusOr<std::string> token = context.signing_keys.Sign(claims);
  if (!token.ok()) return token.status();
  return AccessToken{*std::move(token), claims.expires_at};
}

absl::StatusOr<v1::Session> IssueSession(IdentityContext& context,
                                         pqxx::transaction_base& tx,
                                         const MemberRecord& member,
                                         absl::string_view family) {
  absl::StatusOr<AccessToken> access = IssueMemberAccessToken(context, member);
  if (!access.ok()) return access.status();
  const std::string refresh = NewSecretToken();
  const absl::Time refresh_expiry =
      context.now() + context.settings.refresh_token_ttl;
  tx.exec_params(
      "INSERT INTO refresh_tokens (token_hash, family, tenant, member,"
      " expire_time)"
      " VALUES ($1, coalesce(nullif($2, '')::uuid, gen_random_uuid()), $3,"
      " $4::uuid, to_timestamp($5::float8 / 1e6))",
      pqxx::binarystring(HashSecretToken(refresh)), std::string(family),
      member.tenant, member.id, absl::ToUnixMicros(refresh_expiry));
  v1::Session session;
  session.set_access_token(access->token);
  session.set_token_type("Bearer");
  SetTimestamp(session.mutable_access_token_expire_time(), access->expire_time);
  session.set_refresh_token(refresh);
  SetTimestamp(session.mutable_refresh_token_expire_time(), refresh_expiry);
  *session.mutable_member() = ToMemberProto(member);
  return session;
}

int RevokeAllSessions(pqxx::transaction_base& tx, absl::string_view member) {
  const pqxx::result families = tx.exec_params(
      "WITH revoked AS ("
      "  UPDATE refresh_tokens SET revoked_time = now()"
      "  WHERE member = $1::uuid AND revoked_time IS NULL"
      "  RETURNING family)"
      " SELECT count(DISTINCT family) FROM revoked",
      std::string(member));
  return families[0][0].as<int>();
}

}  // namespace agora::identity
