#include "services/content/domain/own_member.h"

#include "absl/strings/str_cat.h"

namespace agora::content {

absl::StatusOr<api::MemberName> RequireOwnMember(
    absl::string_view field, absl::string_view name,
    const auth::Principal& caller) {
  absl::StatusOr<api::MemberName> member =
      api::ParseMemberName(field, name, &caller);
  if (!member.ok()) return member.status();
  if (caller.is_service_account || caller.tenant != member->tenant ||
      caller.subject != member->member) {
    return absl::PermissionDeniedError(
        absl::StrCat(field, ": only the member themselves may do this"));
  }
  return member;
}

}  // namespace agora::content
