// Full-text search over a tenant's published posts (SearchPosts): the
// query parsed in its language (request.language, else the tenant's
// default), websearch syntax (quotes for phrases, a leading - to exclude),
// ranked with titles above tags above bodies, filtered, paged by offset,
// each hit with a snippet whose highlights are code-point spans.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_SEARCH_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_SEARCH_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "agora/content/v1/content.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"
#include "services/content/repository/search_store.h"

namespace agora::content {

// Anonymous callers allowed. INVALID_ARGUMENT naming `query` (1-200
// characters) or the filter; NOT_FOUND for a tenant content never heard of.
absl::StatusOr<v1::SearchPostsResponse> SearchPosts(
    ContentContext& context, const auth::Principal* caller,
    const v1::SearchPostsRequest& request);

// A ts_headline result made display-ready: markers removed, white space
// collapsed, at most `max_code_points` long (cut with "…"), and the marked
// matches as spans in code points of the snippet.
struct Snippet {
  std::string text;
  std::vector<v1::TextSpan> highlights;
};
Snippet SnippetOf(absl::string_view headline, int max_code_points = 300);

// Filters shared by search, similar posts and the figures: each parses a
// resource name of the request, checks it is in `tenant`, and sets its
// part of `filters`; INVALID_ARGUMENT naming `field` otherwise.
absl::Status ParseSpaceFilter(absl::string_view field, const std::string& name,
                              const std::string& tenant, PostFilters& filters);
// Sets space and category; the category must be in the space already set,
// if any.
absl::Status ParseCategoryFilter(absl::string_view field,
                                 const std::string& name,
                                 const std::string& tenant,
                                 PostFilters& filters);
// "me" allowed for a signed-in member.
absl::Status ParseAuthorFilter(absl::string_view field, const std::string& name,
                               const std::string& tenant,
                               const auth::Principal* caller,
                               PostFilters& filters);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_SEARCH_H_
