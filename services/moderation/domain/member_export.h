// ExportMemberData: what this service holds that one member provided, for a
// GDPR export: the flags they made and the appeals they filed, nothing about
// other members. Moderator-only fields (a flag's weight, who decided an
// appeal) are left out when the member exports their own data; tenant
// admins see them.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_EXPORT_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_EXPORT_H_

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// `name` is tenants/{tenant}/members/{member}, "me" for the caller. The
// member themself, tenant admins of the tenant and platform admins;
// PERMISSION_DENIED for anyone else (service accounts included). A member
// who made no flag or appeal gets an empty export.
absl::StatusOr<agora::moderation::v1::MemberModerationData> ExportMemberData(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ExportMemberDataRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_MEMBER_EXPORT_H_
