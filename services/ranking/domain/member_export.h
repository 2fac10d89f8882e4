// ExportMemberData: what the ranking service holds that one member
// provided, for a GDPR export — every vote they cast, their reputation and
// its history. Nothing of other members: votes others cast on the member's
// posts are theirs, not the member's.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_MEMBER_EXPORT_H_
#define AGORA_SERVICES_RANKING_DOMAIN_MEMBER_EXPORT_H_

#include "absl/status/statusor.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// The member themselves, tenant admins of the tenant and platform admins.
// NOT_FOUND for a member the service does not know or who was erased;
// PERMISSION_DENIED for anyone else.
absl::StatusOr<v1::MemberRankingData> ExportMemberData(
    RankingContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_MEMBER_EXPORT_H_
