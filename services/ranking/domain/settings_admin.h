// GetVoteSettings / UpdateVoteSettings and GetRankingParameters /
// UpdateRankingParameters: the tenant's documents with their etag
// (the row's version), partial updates by update_mask, validation naming
// the field, and tenant admins only for changes. A change of formula
// parameters starts a rebuild so every board is rescored.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_ADMIN_H_
#define AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_ADMIN_H_

#include "absl/status/statusor.h"
#include "agora/ranking/v1/ranking.pb.h"
#include "libs/auth/principal.h"
#include "services/ranking/domain/ranking_context.h"

namespace agora::ranking {

// Anonymous callers pass nullptr (clients draw vote buttons from these).
absl::StatusOr<v1::VoteSettings> GetVoteSettings(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetVoteSettingsRequest& request);
absl::StatusOr<v1::VoteSettings> UpdateVoteSettings(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateVoteSettingsRequest& request);

absl::StatusOr<v1::RankingParameters> GetRankingParameters(
    RankingContext& context, const auth::Principal* caller,
    const v1::GetRankingParametersRequest& request);
absl::StatusOr<v1::RankingParameters> UpdateRankingParameters(
    RankingContext& context, const auth::Principal& caller,
    const v1::UpdateRankingParametersRequest& request);

// OK or INVALID_ARGUMENT naming the first bad field.
absl::Status ValidateVoteSettings(const v1::VoteSettings& settings);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_SETTINGS_ADMIN_H_
