// Screen: the synchronous check content runs on every create and edit.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_SCREENING_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_SCREENING_H_

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// Validates the request, screens the texts (engine + the author's recent
// activity), decides the verdict and, unless dry_run, records the screening,
// queues HOLD and PUBLISH_THEN_REVIEW posts with a due time from the SLA,
// and appends an audit entry, in one transaction. A retry with the same
// request_id returns the first screening. Callers: service accounts with
// scope moderation.screen; tenant admins for dry runs.
absl::StatusOr<agora::moderation::v1::Screening> ScreenPost(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ScreenRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_SCREENING_H_
