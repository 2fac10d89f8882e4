// Reading posts: one, a batch (to hydrate leaderboards), lists with
// filters and keyset pages (ranked orders come from ranking's
// leaderboards), and revisions.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_POST_READS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_POST_READS_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::StatusOr<v1::Post> GetPost(ContentContext& context,
                                 const auth::Principal* caller,
                                 const v1::GetPostRequest& request);

absl::StatusOr<v1::BatchGetPostsResponse> BatchGetPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::BatchGetPostsRequest& request);

absl::StatusOr<v1::ListPostsResponse> ListPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListPostsRequest& request);

absl::StatusOr<v1::ListPostRevisionsResponse> ListPostRevisions(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListPostRevisionsRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_POST_READS_H_
