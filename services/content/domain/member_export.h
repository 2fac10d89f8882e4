// The GDPR export of what content holds that one member provided: their
// posts in every state (deleted ones included) with every revision, what
// they follow and their notification preferences. The member themselves,
// tenant admins of the tenant and platform admins.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_MEMBER_EXPORT_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_MEMBER_EXPORT_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// NOT_FOUND when content knows nothing of the member (never announced by
// identity and no post); PERMISSION_DENIED for anyone else.
absl::StatusOr<v1::MemberContentData> ExportMemberData(
    ContentContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_MEMBER_EXPORT_H_
