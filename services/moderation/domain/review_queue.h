// The review queue as moderators see it: list, look, claim with a lease so
// that two moderators never take the same item, release, and decide
// (approve, edit/mask and approve, reject, remove, escalate), singly or in
// an all-or-nothing batch. Every decision is audited and announced
// (moderation_decided) for content to apply, and settles the post's flags.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_REVIEW_QUEUE_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_REVIEW_QUEUE_H_

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

absl::StatusOr<agora::moderation::v1::ListQueueItemsResponse> ListQueueItems(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ListQueueItemsRequest& request);

// Moderators see every item; a member sees the items of their own posts
// (state, reasons, due time), nothing else.
absl::StatusOr<agora::moderation::v1::QueueItem> GetQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::GetQueueItemRequest& request);

absl::StatusOr<agora::moderation::v1::QueueItem> ClaimQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ClaimQueueItemRequest& request);

absl::StatusOr<agora::moderation::v1::QueueItem> ClaimNextQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ClaimNextQueueItemRequest& request);

absl::StatusOr<agora::moderation::v1::QueueItem> ReleaseQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ReleaseQueueItemRequest& request);

absl::StatusOr<agora::moderation::v1::Decision> DecideQueueItem(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::DecideRequest& request);

absl::StatusOr<agora::moderation::v1::BatchDecideResponse>
BatchDecideQueueItems(ModerationContext& context, const auth::Principal& caller,
                      const agora::moderation::v1::BatchDecideRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_REVIEW_QUEUE_H_
