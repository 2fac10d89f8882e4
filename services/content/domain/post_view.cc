#include "services/content/domain/post_view.h"

#include "services/content/domain/access.h"

namespace agora::content {

bool IsAuthor(const StoredPost& post, const auth::Principal* caller) {
  return caller != nullptr && !post.author.empty() &&
         caller->tenant == post.tenant && caller->subject == post.author &&
         caller->is_service_account == post.author_is_service;
}

bool CanSee(const StoredPost& post, const auth::Principal* caller) {
  if (post.post.state() == common::v1::POST_STATE_PUBLISHED) return true;
  return IsAuthor(post, caller) || IsModerator(caller, post.tenant);
}

v1::Post ViewOf(const StoredPost& post, const auth::Principal* caller) {
  v1::Post view = post.post;
  if (!IsAuthor(post, caller) && !IsModerator(caller, post.tenant)) {
    view.clear_moderation();
  }
  return view;
}

}  // namespace agora::content
