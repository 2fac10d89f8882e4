// Ideas' public follow-up: staff move an idea through the tenant's workflow
// with an official response each time (kept in a public history and
// announced so that the author, voters and followers are notified), and
// merge duplicates into the original.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_IDEAS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_IDEAS_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::StatusOr<v1::Post> UpdateIdeaStatus(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateIdeaStatusRequest& request);

absl::StatusOr<v1::ListIdeaStatusHistoryResponse> ListIdeaStatusHistory(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListIdeaStatusHistoryRequest& request);

absl::StatusOr<v1::Post> MergeIdeas(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::MergeIdeasRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_IDEAS_H_
