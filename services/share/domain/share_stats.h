// GetShareStats: a post's figures as of the last flush — per network and
// in total (links made, shares, human clicks, unique visitors, bot clicks)
// and per day over a window of the tenant's calendar.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_SHARE_STATS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_SHARE_STATS_H_

#include "absl/status/statusor.h"
#include "agora/share/v1/share.pb.h"
#include "libs/auth/principal.h"
#include "services/share/domain/share_context.h"

namespace agora::share {

absl::StatusOr<v1::ShareStats> GetShareStats(
    ShareContext& context, const auth::Principal* caller,
    const v1::GetShareStatsRequest& request);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_SHARE_STATS_H_
