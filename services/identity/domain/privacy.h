// GDPR: export of what identity holds about a member, and erasure. Erasure
// anonymises the account in place (the row stays, as "erased", so other
// services' references keep resolving to an anonymous shell), deletes
// credentials, external identities, roles, tokens and titles, forgets the
// events about the member from identity's outbox and stream (they carried
// the e-mail, display name, avatar), and announces member.erased so every
// service anonymises what it holds.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PRIVACY_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PRIVACY_H_

#include "absl/status/statusor.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::MemberIdentityData> ExportMemberData(
    IdentityContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request);

absl::StatusOr<v1::Member> EraseMember(IdentityContext& context,
                                       const auth::Principal& caller,
                                       const v1::EraseMemberRequest& request);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PRIVACY_H_
