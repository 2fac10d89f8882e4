// The tenant's moderation policy: GetModerationPolicy (moderators and
// tenant admins) and UpdateModerationPolicy (tenant admins). An update is
// validated as a whole after the mask is applied, stored with the etag
// check, and recorded in the audit log (AUDIT_ENTRY_TYPE_POLICY_CHANGED:
// the fields changed, their new values, the versions) in one transaction.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_POLICY_ADMIN_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_POLICY_ADMIN_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// INVALID_ARGUMENT naming the first field out of its documented range
// ("moderation_policy.review_sla: 1 minute to 7 days"). Fields at their
// zero value stand for Agora's default and pass (the store fills them in).
// Checked: every decision matrix has one row per trust level NEW to LEADER
// with 0 <= publish_below <= review_below <= hold_below <= 101; at most
// 100 space matrices, of distinct spaces of `tenant`; link policy domains
// (at most 500 allowed, 50 bank) are host names (`*.` prefix allowed for
// allowed domains), max_links_per_post 0-100; ratios 0.5-1.0; duplicate
// lookback 1 hour to 30 days; 1-1,000 posts per 10 minutes; flag threshold
// 1-100; review SLA 1 minute to 7 days; appeal window 1-90 days.
absl::Status ValidatePolicy(
    const agora::moderation::v1::ModerationPolicy& policy,
    const std::string& tenant);

absl::StatusOr<agora::moderation::v1::ModerationPolicy> GetModerationPolicy(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::GetModerationPolicyRequest& request);

// Applies `update_mask` (repeated and message fields replaced whole; "*"
// for every field) to the current policy. FAILED_PRECONDITION when
// `moderation_policy.etag` is set and stale. Idempotent by request_id.
absl::StatusOr<agora::moderation::v1::ModerationPolicy> UpdateModerationPolicy(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::UpdateModerationPolicyRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_POLICY_ADMIN_H_
