// Reading and verifying a tenant's audit log: ListAuditEntries (moderators,
// tenant admins, platform admins) and VerifyAuditLog (tenant admins and
// platform admins, as the contract says), plus the actor every admin change
// is recorded under.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_AUDIT_ADMIN_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_AUDIT_ADMIN_H_

#include "absl/status/statusor.h"
#include "agora/common/v1/common.pb.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

// Entries by ascending sequence, filtered by type, actor, subject, time
// range and start sequence; keyset pages (page_size default 100, larger
// than 1,000 read as 1,000; the token carries the last sequence returned).
// INVALID_ARGUMENT naming the filter.
absl::StatusOr<agora::moderation::v1::ListAuditEntriesResponse>
ListAuditEntries(ModerationContext& context, const auth::Principal& caller,
                 const agora::moderation::v1::ListAuditEntriesRequest& request);

// Recomputes the chain over [start_sequence, end_sequence] (defaults: 1 and
// the latest) and reports the first broken link. INVALID_ARGUMENT naming
// `start_sequence` or `end_sequence` (negative, or end before start);
// NOT_FOUND when the entry before start_sequence (the anchor) is missing.
absl::StatusOr<agora::moderation::v1::AuditVerification> VerifyAuditLog(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::VerifyAuditLogRequest& request);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_AUDIT_ADMIN_H_
