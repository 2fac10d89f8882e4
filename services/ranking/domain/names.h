// Resource names the ranking service reads: posts, members, tenants and
// the scopes of a leaderboard (space, category, round). Every parser
// answers INVALID_ARGUMENT naming the field; ids are 1-63 characters of
// [A-Za-z0-9_-] (AIP-122), so they are safe inside Redis keys.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_
#define AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/auth/principal.h"

namespace agora::ranking {

// The variable parts of `name` laid out as collections[0]/{v0}/
// collections[1]/{v1}/...: ParseName("target", "tenants/fr/posts/p1",
// {"tenants", "posts"}) -> {"fr", "p1"}. A trailing singleton segment
// (e.g. "tally") is given as `suffix`.
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

// Scope ids as stored: space "s1"; category "s1/c1"; round "k1/r1".
absl::StatusOr<std::string> ParseSpaceScope(absl::string_view tenant,
                                            absl::string_view name);
absl::StatusOr<std::string> ParseCategoryScope(absl::string_view tenant,
                                               absl::string_view name);
absl::StatusOr<std::string> ParseRoundScope(absl::string_view tenant,
                                            absl::string_view name);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_
