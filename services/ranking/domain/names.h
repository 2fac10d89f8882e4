// Resource names the ranking service reads: posts, members, tenants and
// the scopes of a leaderboard (space, category, round). Every parser
// answers INVALID_ARGUMENT naming the field; ids are 1-63 characters of
// [A-Za-z0-9_-] (AIP-122), so they are safe inside Redis keys.
#ifndef AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_
#define AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "libs/api/resource_names.h"

namespace agora::ranking {

using api::MemberName;
using api::MemberResourceName;
using api::ParseMemberName;
using api::ParseName;
using api::ParsePostName;
using api::ParseTenantName;
using api::PostName;
using api::PostResourceName;

// Scope ids as stored: space "s1"; category "s1/c1"; round "k1/r1".
absl::StatusOr<std::string> ParseSpaceScope(absl::string_view tenant,
                                            absl::string_view name);
absl::StatusOr<std::string> ParseCategoryScope(absl::string_view tenant,
                                               absl::string_view name);
absl::StatusOr<std::string> ParseRoundScope(absl::string_view tenant,
                                            absl::string_view name);

}  // namespace agora::ranking

#endif  // AGORA_SERVICES_RANKING_DOMAIN_NAMES_H_
