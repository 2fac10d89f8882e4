// Appeals: the author of a post a moderator rejected, removed or edited may
// appeal within the tenant's window, once per decision. The appeal is
// queued (source APPEAL) and decided by a different moderator than the one
// who made the decision; overturning it publishes the post again.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_APPEALS_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_APPEALS_H_

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

absl::StatusOr<agora::moderation::v1::Appeal> CreateAppeal(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::CreateAppealRequest& request);

// The appellant or a moderator of the tenant.
absl::StatusOr<agora::moderation::v1::Appeal> GetAppeal(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::GetAppealRequest& request);

// Moderators see every appeal; members their own.
absl::StatusOr<agora::moderation::v1::ListAppealsResponse> ListAppeals(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ListAppealsRequest& request);

absl::StatusOr<agora::moderation::v1::Appeal> DecideAppeal(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::DecideAppealRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_APPEALS_H_
