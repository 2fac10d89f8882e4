// A tenant's figures: post counts by kind and state with unanswered
// questions by age and ideas by status (CountPosts), and the public
// accountability report — how fast and how often the bank answers its
// community (GetAccountabilityReport).
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_FIGURES_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_FIGURES_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// Report windows: default the last 90 days, at most 366.
inline constexpr absl::Duration kDefaultReportWindow = absl::Hours(24 * 90);
inline constexpr absl::Duration kMaxReportWindow = absl::Hours(24 * 366);

// Anonymous callers and members get PUBLISHED counts only; moderators and
// tenant admins every state. INVALID_ARGUMENT naming `space`, `category`
// or `author`; NOT_FOUND for the tenant, space or category.
absl::StatusOr<v1::CountPostsResponse> CountPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::CountPostsRequest& request);

// Public on purpose. INVALID_ARGUMENT naming `name`, `window`,
// `response_target` or `space`; NOT_FOUND for the tenant or space.
absl::StatusOr<v1::AccountabilityReport> GetAccountabilityReport(
    ContentContext& context, const auth::Principal* caller,
    const v1::GetAccountabilityReportRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_FIGURES_H_
