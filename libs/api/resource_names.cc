#include "libs/api/resource_names.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace agora::api {

bool IsResourceId(absl::string_view id) {
  if (id.empty() || id.size() > 63) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

namespace {

std::string Pattern(std::initializer_list<absl::string_view> collections,
                    absl::string_view suffix) {
  std::vector<std::string> parts;
  for (absl::string_view collection : collections) {
    std::string variable(collection);
    if (absl::EndsWith(variable, "ies")) {
      variable.replace(variable.size() - 3, 3, "y");
    } else if (variable.back() == 's') {
      variable.pop_back();
    }
    parts.push_back(absl::StrCat(collection, "/{", variable, "}"));
  }
  if (!suffix.empty()) parts.emplace_back(suffix);
  return absl::StrJoin(parts, "/");
}

}  // namespace

absl::StatusOr<std::vector<std::string>> ParseName(
    absl::string_view field, absl::string_view name,
    std::initializer_list<absl::string_view> collections,
    absl::string_view suffix) {
  auto bad = [&] {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be ", Pattern(collections, suffix),
                     " with ids of 1-63 characters [A-Za-z0-9_-]"));
  };
  if (name.size() > 400) return bad();
  std::vector<absl::string_view> parts = absl::StrSplit(name, '/');
  const size_t expected = collections.size() * 2 + (suffix.empty() ? 0 : 1);
  if (parts.size() != expected) return bad();
  std::vector<std::string> values;
  size_t i = 0;
  for (absl::string_view collection : collections) {
    if (parts[i] != collection || !IsResourceId(parts[i + 1])) return bad();
    values.emplace_back(parts[i + 1]);
    i += 2;
  }
  if (!suffix.empty() && parts[i] != suffix) return bad();
  return values;
}

absl::StatusOr<PostName> ParsePostName(absl::string_view field,
                                       absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName(field, name, {"tenants", "posts"});
  if (!parts.ok()) return parts.status();
  return PostName{(*parts)[0], (*parts)[1]};
}

absl::StatusOr<MemberName> ParseMemberName(absl::string_view field,
                                           absl::string_view name,
                                           const auth::Principal* caller) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName(field, name, {"tenants", "members"});
  if (!parts.ok()) return parts.status();
  MemberName member{(*parts)[0], (*parts)[1]};
  if (member.member == "me") {
    if (caller == nullptr || caller->is_service_account) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": `me` needs a signed-in member"));
    }
    member.member = caller->subject;
  }
  return member;
}

absl::StatusOr<std::string> ParseTenantName(absl::string_view field,
                                            absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      ParseName(field, name, {"tenants"});
  if (!parts.ok()) return parts.status();
  return (*parts)[0];
}

std::string PostResourceName(absl::string_view tenant, absl::string_view post) {
  return absl::StrCat("tenants/", tenant, "/posts/", post);
}

std::string MemberResourceName(absl::string_view tenant,
                               absl::string_view member) {
  return absl::StrCat("tenants/", tenant, "/members/", member);
}

}  // namespace agora::api
