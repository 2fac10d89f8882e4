// Community flags: one per member per post, weighted by the reporter's trust
// and track record; when the open flags of a post reach the tenant's
// threshold the post is queued (source FLAGGED) and flag_threshold_reached
// tells content to hide it pending review. A decision settles the flags:
// upheld flags restore their reporters' weight, dismissed ones lower it.
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_FLAGS_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_FLAGS_H_

#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "agora/moderation/v1/moderation.pb.h"
#include "libs/auth/principal.h"
#include "services/moderation/domain/moderation_context.h"

namespace agora::moderation {

absl::StatusOr<agora::moderation::v1::Flag> CreateFlag(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::CreateFlagRequest& request);

// Moderators see all flags of the tenant; a member only their own.
absl::StatusOr<agora::moderation::v1::ListFlagsResponse> ListFlags(
    ModerationContext& context, const auth::Principal& caller,
    const agora::moderation::v1::ListFlagsRequest& request);

// Closes the open flags of a post after a decision. Returns how many.
int SettleFlags(pqxx::transaction_base& tx, const std::string& tenant,
                const std::string& target_name, bool upheld);

// A reporter's flag weight: trust (token level 0-4 -> 0.5 to 1.5) times
// their track record factor (0.1-1.0).
double FlagWeight(int trust_level, double record_factor);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_FLAGS_H_
