// AIP-122 resource names shared by every service: parsing with errors that
// name the field, and building. Ids are 1-63 characters of [A-Za-z0-9_-], so
// they are safe inside Redis keys and URLs.
#ifndef AGORA_LIBS_API_RESOURCE_NAMES_H_
#define AGORA_LIBS_API_RESOURCE_NAMES_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace agora::api {

// True for 1-63 characters of [A-Za-z0-9_-].
bool IsResourceId(absl::string_view id);

// The variable parts of `name` laid out as collections[0]/{v0}/
// collections[1]/{v1}/...: ParseName("target", "tenants/fr/posts/p1",
// {"tenants", "posts"}) -> {"fr", "p1"}. A trailing singleton segment
// (e.g. "tally") is given as `suffix`. INVALID_ARGUMENT naming `field` and
// the expected pattern otherwise.
absl::StatusOr<std::vector<std::string>> ParseName(
    absl::string_view field, absl::string_view name,
    std::initializer_list<absl::string_view> collections,
    absl::string_view suffix = "");

struct PostName {
  std::string tenant;
  std::string post;
};
absl::StatusOr<PostName> ParsePostName(absl::string_view field,
                                       absl::string_view name);

struct MemberName {
  std::string tenant;
  std::string member;  // "me" resolved to the caller
};
// Accepts "me" for the caller's own id (members only).
absl::StatusOr<MemberName> ParseMemberName(absl::string_view field,
                                           absl::string_view name,
                                           const auth::Principal* caller);

// "tenants/fr" -> "fr".
absl::StatusOr<std::string> ParseTenantName(absl::string_view field,
                                            absl::string_view name);

std::string PostResourceName(absl::string_view tenant, absl::string_view post);
std::string MemberResourceName(absl::string_view tenant,
                               absl::string_view member);

}  // namespace agora::api

#endif  // AGORA_LIBS_API_RESOURCE_NAMES_H_
