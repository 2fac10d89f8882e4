// Sessions: a signed access token (about 15 minutes) and an opaque refresh
// token (30 days, single use) in a family. Each refresh consumes its token
// and issues the next one of the same family; a consumed token presented
// again means it was copied, and the whole family is revoked (RFC 6819
// §5.2.2.3, OAuth 2.0 Security BCP §4.14).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SESSION_ISSUER_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SESSION_ISSUER_H_

#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/identity/v1/identity.pb.h"
#include "services/identity/domain/identity_context.h"
#include "services/identity/repository/member_store.h"

namespace agora::identity {

struct AccessToken {
  std::string token;
  absl::Time expire_time;
};

// An access token for `member` (roles, trust level, verified customer).
absl::StatusOr<AccessToken> IssueMemberAccessToken(IdentityContext& context,
                                                   const MemberRecord& member);

// An access token for a service account acting in `tenant` with `scopes`;
// `subject` is the account's resource name.
absl::StatusOr<AccessToken> IssueServiceAccessToken(
    IdentityContext& context, absl::string_view subject,
    absl::string_view tenant, const std::vector<std::string>& scopes);

// A new session for `member`, its refresh token stored in `tx`: in a new
// family, or in `family` when rotating.
absl::StatusOr<v1::Session> IssueSession(IdentityContext& context,
                                         pqxx::transaction_base& tx,
                                         const MemberRecord& member,
                                         absl::string_view family = "");

// Revokes every live refresh token of `member`; the number of families.
int RevokeAllSessions(pqxx::transaction_base& tx, absl::string_view member);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SESSION_ISSUER_H_
