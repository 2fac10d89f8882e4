// Open Graph and Twitter-card metadata of a post, from share's projection
// of content's posts (masked text only) and the tenant's settings; a
// neutral "no longer available" preview for posts no longer published.
#ifndef AGORA_SERVICES_SHARE_DOMAIN_PREVIEWS_H_
#define AGORA_SERVICES_SHARE_DOMAIN_PREVIEWS_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "agora/share/v1/share.pb.h"
#include "libs/auth/principal.h"
#include "services/share/domain/share_context.h"
#include "services/share/repository/post_store.h"

namespace agora::share {

// `canonical_url` "" for the post's own; `language` "" for the post's.
v1::Preview BuildPreview(const v1::ShareSettings& settings, const PostRow& post,
                         const std::string& language,
                         const std::string& canonical_url = "");

// "fr" -> "fr_FR", "nl-BE" -> "nl_BE", "en" -> "en_US".
std::string OgLocale(const std::string& language);

absl::StatusOr<v1::Preview> GetPreview(ShareContext& context,
                                       const auth::Principal* caller,
                                       const v1::GetPreviewRequest& request);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_DOMAIN_PREVIEWS_H_
