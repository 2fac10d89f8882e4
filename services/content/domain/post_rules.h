// The rules of a post's fields, checked before screening and storage. Each
// failure is an INVALID_ARGUMENT naming the field ("post.title: ...").
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_POST_RULES_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_POST_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "agora/content/v1/content.pb.h"

namespace agora::content {

inline constexpr int kMaxTitle = 200;
inline constexpr int kMaxBody = 20000;
inline constexpr int kMaxTags = 5;
inline constexpr int kMaxTag = 30;
inline constexpr int kMaxReviewText = 1000;
inline constexpr int kMaxArticleSummary = 300;
inline constexpr int kMaxOfficialResponse = 10000;

// Questions, ideas, articles, reviews and contest entries stand alone;
// answers and comments reply to a post.
bool IsTopLevel(common::v1::ContentKind kind);

// The kinds a space of `space_kind` accepts at top level (answers and
// comments follow their parent).
bool SpaceAccepts(v1::SpaceKind space_kind, common::v1::ContentKind kind);

// Titles: 1-200 characters of one line for kinds that have one; empty for
// answers and comments.
absl::Status ValidateTitle(common::v1::ContentKind kind,
                           absl::string_view title);

// Bodies: 1-20,000 characters, new lines allowed.
absl::Status ValidateBody(absl::string_view field, absl::string_view body,
                          int max = kMaxBody);

// At most 5 unique tags of 1-30 characters [a-z0-9-], only for questions,
// ideas and articles.
absl::Status ValidateTags(
    common::v1::ContentKind kind,
    const google::protobuf::RepeatedPtrField<std::string>& tags);

// An https URL (or empty) whose host is one of `allowed_hosts` (exact, or
// "*.example.com" for its subdomains). INVALID_ARGUMENT naming `field`,
// reason HOST_NOT_ALLOWED for a host not listed.
absl::Status ValidateMediaUrl(
    absl::string_view field, absl::string_view url,
    const google::protobuf::RepeatedPtrField<std::string>& allowed_hosts);

// The kind-specific part of a new post: present when required, absent or of
// the post's own kind otherwise; review rating 1-5; texts within limits.
absl::Status ValidateDetails(const v1::Post& post,
                             const v1::ContentSettings& settings);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_POST_RULES_H_
