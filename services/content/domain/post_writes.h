// Creating, editing and deleting posts. Every create and edit is screened
// by moderation before anything is stored; what is stored is the masked
// text, and the verdict decides the state: PUBLISH and
// PUBLISH_THEN_REVIEW publish, HOLD keeps the post PENDING (with the
// expected decision time), REJECT returns it to its author as REJECTED.
// When screening does not answer the post is PENDING, masked locally and
// marked for another screening — never published unscreened.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_POST_WRITES_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_POST_WRITES_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// Members of the tenant; articles need staff; service accounts with scope
// content.write post automated answers. Idempotent by request_id.
absl::StatusOr<v1::Post> CreatePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::CreatePostRequest& request);

// The author, within the tenant's edit window (staff: articles any time).
absl::StatusOr<v1::Post> UpdatePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::UpdatePostRequest& request);

// The author; soft (DELETED). Deleting a deleted post returns it.
absl::StatusOr<v1::Post> DeletePost(ContentContext& context,
                                    const auth::Principal& caller,
                                    const v1::DeletePostRequest& request);

// Screens again the posts held because screening did not answer (at most
// `limit`, oldest first); returns how many were screened. Run by a
// background worker.
absl::StatusOr<int> RescreenHeldPosts(ContentContext& context, int limit);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_POST_WRITES_H_
