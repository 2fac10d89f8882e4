// Suggestions while a member types a new question or idea
// (ListSimilarPosts): published posts of the same kind whose title, or
// title and start of body, is trigram-similar to the draft's (case and
// accents ignored), most similar first, above a fixed threshold, so that
// members find duplicates before posting.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_SIMILAR_POSTS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_SIMILAR_POSTS_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

// The contract's threshold: less similar posts are never suggested.
inline constexpr double kSimilarityThreshold = 0.3;

// Anonymous callers allowed. INVALID_ARGUMENT naming `kind` (QUESTION or
// IDEA), `title` (3-200 characters), `body`, `space` or the page fields;
// NOT_FOUND for a tenant content never heard of.
absl::StatusOr<v1::ListSimilarPostsResponse> ListSimilarPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListSimilarPostsRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_SIMILAR_POSTS_H_
