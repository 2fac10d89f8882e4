// Who sees a post, and how much of it: published posts are public; authors
// see their own posts in every state (deleted ones excepted for others too)
// and moderators every post. The moderation outcome is for the author and
// moderators only.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_POST_VIEW_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_POST_VIEW_H_

#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/repository/post_store.h"

namespace agora::content {

bool IsAuthor(const StoredPost& post, const auth::Principal* caller);
bool CanSee(const StoredPost& post, const auth::Principal* caller);
// The post as `caller` sees it (call CanSee first).
v1::Post ViewOf(const StoredPost& post, const auth::Principal* caller);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_POST_VIEW_H_
