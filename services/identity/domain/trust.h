// Trust levels: promoted automatically from the figures ranking announces
// (reputation.changed) against the tenant's thresholds, set by hand by
// tenant admins, lowered by moderators (which pauses automatic promotion
// for the tenant's demotion hold). The level travels in the access token
// and drives screening.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_TRUST_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_TRUST_H_

#include <pqxx/transaction_base>

#include "absl/status/statusor.h"
#include "agora/events/v1/events.pb.h"
#include "agora/identity/v1/identity.pb.h"
#include "libs/auth/principal.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

absl::StatusOr<v1::Member> SetTrustLevel(
    IdentityContext& context, const auth::Principal& caller,
    const v1::SetTrustLevelRequest& request);

absl::StatusOr<v1::TrustPolicy> GetTrustPolicy(
    IdentityContext& context, const auth::Principal& caller,
    const v1::GetTrustPolicyRequest& request);

absl::StatusOr<v1::TrustPolicy> UpdateTrustPolicy(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateTrustPolicyRequest& request);

// The policy of a tenant that never set one.
v1::TrustPolicy DefaultTrustPolicy(absl::string_view tenant);

// Consumer of ranking's reputation.changed: records the figures and
// promotes the member when they meet a higher level's thresholds.
absl::Status ApplyReputationChanged(IdentityContext& context,
                                    pqxx::transaction_base& tx,
                                    const events::v1::Event& event);

// Consumer of ranking's title.awarded: the title shows on the profile.
absl::Status ApplyTitleAwarded(IdentityContext& context,
                               pqxx::transaction_base& tx,
                               const events::v1::Event& event);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_TRUST_H_
