#include "services/identity/domain/profiles.h"

#include <array>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/update_mask.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "libs/status/error_details.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/display_name.h"
#include "services/identity/domain/identity_events.h"
#include "services/identity/domain/resource_names.h"
#include "services/identity/domain/text_rules.h"
#include "services/identity/repository/member_store.h"
#include "services/identity/repository/tenant_store.h"

namespace agora::identity {
namespace {

constexpr std::array<absl::string_view, 4> kMutableProfileFields = {
    "display_name", "avatar_uri", "bio", "language"};

// Whether `key` is free in the tenant (for `member`, its own name counts as
// free) and not a look-alike of a reserved name.
bool DisplayNameAvailable(pqxx::transaction_base& tx,
                          const TenantRecord& tenant, const std::string& key,
                          const std::string& member = "") {
  if (IsLookalikeOfReserved(key, tenant.reserved_display_names)) return false;
  return tx
      .exec_params(
          "SELECT 1 FROM members WHERE tenant = $1 AND display_name_key = $2"
          " AND ($3 = '' OR id <> nullif($3, '')::uuid)",
          tenant.id, key, member)
      .empty();
}

}  // namespace

absl::StatusOr<v1::Profile> GetProfile(IdentityContext& context,
                                       const auth::Principal* caller,
                                       const CallInfo& call,
                                       const v1::GetProfileRequest& request) {
  absl::StatusOr<MemberName> name =
      ParseMemberName("name", request.name(), caller, "/profile");
  if (!name.ok()) return name.status();
  v1::Profile profile;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member);
        if (!member.ok()) return member.status();
        if (member->state == v1::Member::STATE_ERASED) {
          return absl::NotFoundError("member not found");
        }
        profile = ToProfileProto(tx, *member);
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return profile;
}

absl::StatusOr<v1::Profile> UpdateProfile(
    IdentityContext& context, const auth::Principal& caller,
    const v1::UpdateProfileRequest& request) {
  const v1::Profile& wanted = request.profile();
  absl::StatusOr<MemberName> name =
      ParseMemberName("profile.name", wanted.name(), &caller, "/profile");
  if (!name.ok()) return name.status();
  if (!IsSelf(caller, name->tenant, name->member)) {
    return absl::PermissionDeniedError(
        "only the member themselves may update their profile");
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kMutableProfileFields, "profile");
  if (!paths.ok()) return paths.status();
  std::string name_key;
  if (paths->contains("display_name")) {
    if (absl::Status s = ValidateDisplayNameFormat("profile.display_name",
                                                   wanted.display_name());
        !s.ok()) {
      return s;
    }
    absl::StatusOr<std::string> key = DisplayNameKey(wanted.display_name());
    if (!key.ok()) return key.status();
    name_key = *key;
  }
  if (paths->contains("avatar_uri")) {
    if (absl::Status s = ValidateHttpsUrl("profile.avatar_uri",
                                          wanted.avatar_uri(), 2048, true);
        !s.ok()) {
      return s;
    }
  }
  if (paths->contains("bio")) {
    if (absl::Status s =
            ValidateText("profile.bio", wanted.bio(), 0, 1000, true);
        !s.ok()) {
      return s;
    }
  }
  if (paths->contains("language")) {
    if (absl::Status s =
            ValidateLanguageTag("profile.language", wanted.language());
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{name->tenant, "UpdateProfile",
                                        request.request_id(), name->member};
  v1::Profile updated;
  absl::Status done = pg::RunTransaction(
      context.pool, [&](pqxx::transaction_base& tx) -> absl::Status {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        absl::StatusOr<TenantRecord> tenant =
            LoadWritableTenant(tx, name->tenant);
        if (!tenant.ok()) return tenant.status();
        absl::StatusOr<MemberRecord> member =
            LoadMember(tx, name->tenant, name->member, true);
        if (!member.ok()) return member.status();
        if (!wanted.etag().empty() && wanted.etag() != ProfileEtag(*member)) {
          return api::EtagMismatch("profile.etag", "the profile");
        }
        if (paths->contains("display_name") &&
            !DisplayNameAvailable(tx, *tenant, name_key, member->id)) {
          return DisplayNameUnavailable("profile.display_name");
        }
        if (paths->contains("language") &&
            !tenant->AllowsLanguage(wanted.language())) {
          return absl::InvalidArgumentError(
              "profile.language: must be one of the tenant's languages");
        }
        const bool set_name = paths->contains("display_name");
        const bool set_avatar = paths->contains("avatar_uri");
        const bool set_bio = paths->contains("bio");
        const bool set_language = paths->contains("language");
        tx.exec_params(
            "UPDATE members SET"
            " display_name = CASE WHEN $2 THEN $3 ELSE display_name END,"
            " display_name_key = CASE WHEN $2 THEN $4 ELSE display_name_key "
            "END,"
            " avatar_uri = CASE WHEN $5 THEN $6 ELSE avatar_uri END,"
            " bio = CASE WHEN $7 THEN $8 ELSE bio END,"
            " language = CASE WHEN $9 THEN $10 ELSE language END,"
            " profile_version = profile_version + 1"
            " WHERE id = $1::uuid",
            member->id, set_name, wanted.display_name(), name_key, set_avatar,
            wanted.avatar_uri(), set_bio, wanted.bio(), set_language,
            wanted.language());
        TouchMember(tx, member->id);
        absl::StatusOr<MemberRecord> after =
            LoadMember(tx, name->tenant, member->id);
        if (!after.ok()) return after.status();
        updated = ToProfileProto(tx, *after);
        const std::string resource =
            MemberResourceName(name->tenant, member->id);
        events::v1::Event event =
            NewIdentityEvent(context, name->tenant, ActorOf(caller), resource);
        events::v1::ProfileUpdated* payload = event.mutable_profile_updated();
        payload->set_member(resource);
        payload->set_display_name(updated.display_name());
        payload->set_avatar_uri(updated.avatar_uri());
        *payload->mutable_badges() = updated.badges();
        payload->set_language(updated.language());
        if (absl::Status s = AppendEvent(context, tx, event); !s.ok()) return s;
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (done.code() == absl::StatusCode::kAlreadyExists) {
    return DisplayNameUnavailable("profile.display_name");  // lost a race
  }
  if (!done.ok()) return done;
  return updated;
}

absl::StatusOr<v1::CheckDisplayNameResponse> CheckDisplayName(
    IdentityContext& context, const auth::Principal* caller,
    const CallInfo& call, const v1::CheckDisplayNameRequest& request) {
  absl::StatusOr<std::string> tenant_id =
      ParseTenantName("tenant", request.tenant());
  if (!tenant_id.ok()) return tenant_id.status();
  if (absl::Status s =
          ValidateDisplayNameFormat("display_name", request.display_name());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::string> key = DisplayNameKey(request.display_name());
  if (!key.ok()) return key.status();
  v1::CheckDisplayNameResponse response;
  absl::Status done =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        absl::StatusOr<TenantRecord> tenant = LoadTenant(tx, *tenant_id);
        if (!tenant.ok()) return tenant.status();
        const bool available = DisplayNameAvailable(tx, *tenant, *key);
        response.set_available(available);
        if (!available) {
          response.set_reason(
              common::v1::ERROR_REASON_DISPLAY_NAME_UNAVAILABLE);
        }
        return absl::OkStatus();
      });
  if (!done.ok()) return done;
  return response;
}

}  // namespace agora::identity
