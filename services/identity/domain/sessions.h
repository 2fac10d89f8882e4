// Signing in with a password, refreshing, signing out, and revoking a
// member's sessions.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_SESSIONS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_SESSIONS_H_

#include <google/protobuf/empty.pb.h>

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/call_info.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

struct MemberRecord;

// An unknown e-mail and a wrong password both verify one argon2id hash and
// answer UNAUTHENTICATED / INVALID_CREDENTIALS with the same message; only
// after a correct password do EMAIL_NOT_VERIFIED and ACCOUNT_DISABLED tell
// more.
absl::StatusOr<v1::Session> Login(IdentityContext& context,
                                  const auth::Principal* caller,
                                  const CallInfo& call,
                                  const v1::LoginRequest& request);

absl::StatusOr<v1::Session> RefreshSession(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::RefreshSessionRequest& request);

absl::StatusOr<google::protobuf::Empty> Logout(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::LogoutRequest& request);

absl::StatusOr<v1::RevokeSessionsResponse> RevokeSessions(
    IdentityContext& context, const auth::Principal& caller,
    const v1::RevokeSessionsRequest& request);

// The UNAUTHENTICATED every failed credential check answers.
absl::Status InvalidCredentials(absl::string_view field = "");

// PERMISSION_DENIED / ACCOUNT_DISABLED, or FAILED_PRECONDITION /
// EMAIL_NOT_VERIFIED, for a member who may not sign in now; OK otherwise.
// A suspension whose end has passed is lifted by the caller beforehand.
absl::Status CheckCanSignIn(const MemberRecord& member, absl::Time now);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_SESSIONS_H_
