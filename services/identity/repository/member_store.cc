#include "services/identity/repository/member_store.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/auth/roles.h"
#include "services/identity/domain/access.h"
#include "services/identity/domain/resource_names.h"

namespace agora::identity {
namespace {

using google::protobuf::util::TimeUtil;

// Timestamps travel as microseconds since the epoch (exact, unlike float
// seconds).
std::optional<absl::Time> OptionalTime(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return absl::FromUnixMicros(field.as<int64_t>());
}

}  // namespace

const char kMemberColumns[] =
    "m.id::text, m.tenant, coalesce(m.email, ''), coalesce(m.email_key, ''),"
    " m.email_verified, m.password_hash, coalesce(m.display_name, ''),"
    " m.avatar_uri, m.bio, m.language, m.state, m.trust_level,"
    " (extract(epoch from m.trust_hold_until) * 1e6)::bigint,"
    " m.verified_customer, m.accepted_terms_version, m.suspension_reason,"
    " (extract(epoch from m.suspension_end_time) * 1e6)::bigint,"
    " (extract(epoch from m.create_time) * 1e6)::bigint,"
    " (extract(epoch from m.update_time) * 1e6)::bigint,"
    " (extract(epoch from m.last_login_time) * 1e6)::bigint,"
    " m.version, m.profile_version";

bool MemberRecord::HasRole(absl::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

MemberRecord MemberFromRow(const pqxx::row& row) {
  MemberRecord m;
  m.id = row[0].as<std::string>();
  m.tenant = row[1].as<std::string>();
  m.email = row[2].as<std::string>();
  m.email_key = row[3].as<std::string>();
  m.email_verified = row[4].as<bool>();
  if (!row[5].is_null()) m.password_hash = row[5].as<std::string>();
  m.display_name = row[6].as<std::string>();
  m.avatar_uri = row[7].as<std::string>();
  m.bio = row[8].as<std::string>();
  m.language = row[9].as<std::string>();
  m.state = static_cast<v1::Member::State>(row[10].as<int>());
  m.trust_level = row[11].as<int>();
  m.trust_hold_until = OptionalTime(row[12]);
  m.verified_customer = row[13].as<bool>();
  m.accepted_terms_version = row[14].as<std::string>();
  m.suspension_reason = row[15].as<std::string>();
  m.suspension_end_time = OptionalTime(row[16]);
  m.create_time = absl::FromUnixMicros(row[17].as<int64_t>());
  m.update_time = absl::FromUnixMicros(row[18].as<int64_t>());
  m.last_login_time = OptionalTime(row[19]);
  m.version = row[20].as<int64_t>();
  m.profile_version = row[21].as<int64_t>();
  return m;
}

void LoadRoles(pqxx::transaction_base& tx, MemberRecord& member) {
  member.roles = {auth::kRoleMember};
  for (const auto& row : tx.exec_params(
           "SELECT role FROM member_roles WHERE member = $1 ORDER BY role",
           member.id)) {
    member.roles.push_back(row[0].as<std::string>());
  }
}

absl::StatusOr<MemberRecord> LoadMember(pqxx::transaction_base& tx,
                                        absl::string_view tenant,
                                        absl::string_view id, bool for_update) {
  if (!IsUuid(id)) return absl::NotFoundError("member not found");
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kMemberColumns,
                   " FROM members m WHERE m.id = $1::uuid AND m.tenant = $2",
                   for_update ? " FOR UPDATE" : ""),
      std::string(id), std::string(tenant));
  if (rows.empty()) return absl::NotFoundError("member not found");
  MemberRecord member = MemberFromRow(rows[0]);
  LoadRoles(tx, member);
  return member;
}

std::optional<MemberRecord> FindMemberByEmail(pqxx::transaction_base& tx,
                                              absl::string_view tenant,
                                              absl::string_view email_key,
                                              bool for_update) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat("SELECT ", kMemberColumns,
                   " FROM members m WHERE m.tenant = $1 AND m.email_key = $2",
                   for_update ? " FOR UPDATE" : ""),
      std::string(tenant), std::string(email_key));
  if (rows.empty()) return std::nullopt;
  MemberRecord member = MemberFromRow(rows[0]);
  LoadRoles(tx, member);
  return member;
}

void TouchMember(pqxx::transaction_base& tx, absl::string_view id) {
  tx.exec_params(
      "UPDATE members SET version = version + 1, update_time = now()"
      " WHERE id = $1::uuid",
      std::string(id));
}

void SetTimestamp(google::protobuf::Timestamp* out, absl::Time time) {
  *out = TimeUtil::MicrosecondsToTimestamp(absl::ToUnixMicros(time));
}

absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixMicros(TimeUtil::TimestampToMicroseconds(timestamp));
}

std::string MemberEtag(const MemberRecord& member) {
  return absl::StrCat("m", member.version);
}

std::string ProfileEtag(const MemberRecord& member) {
  return absl::StrCat("p", member.profile_version);
}

v1::Member ToMemberProto(const MemberRecord& m) {
  v1::Member out;
  out.set_name(MemberResourceName(m.tenant, m.id));
  out.set_email(m.email);
  out.set_email_verified(m.email_verified);
  out.set_display_name(m.display_name);
  out.set_state(m.state);
  for (const std::string& role : m.roles) {
    const common::v1::Role value = RoleFromName(role);
    if (value != common::v1::ROLE_UNSPECIFIED) out.add_roles(value);
  }
  out.set_trust_level(static_cast<common::v1::TrustLevel>(m.trust_level + 1));
  if (m.trust_hold_until) {
    SetTimestamp(out.mutable_trust_hold_until(), *m.trust_hold_until);
  }
  out.set_verified_customer(m.verified_customer);
  out.set_language(m.language);
  out.set_has_password(m.password_hash.has_value());
  out.set_accepted_terms_version(m.accepted_terms_version);
  out.set_suspension_reason(m.suspension_reason);
  if (m.suspension_end_time) {
    SetTimestamp(out.mutable_suspension_end_time(), *m.suspension_end_time);
  }
  SetTimestamp(out.mutable_create_time(), m.create_time);
  SetTimestamp(out.mutable_update_time(), m.update_time);
  if (m.last_login_time) {
    SetTimestamp(out.mutable_last_login_time(), *m.last_login_time);
  }
  out.set_etag(MemberEtag(m));
  return out;
}

v1::Profile ToProfileProto(pqxx::transaction_base& tx, const MemberRecord& m) {
  v1::Profile out;
  out.set_name(absl::StrCat(MemberResourceName(m.tenant, m.id), "/profile"));
  out.set_display_name(m.display_name);
  out.set_avatar_uri(m.avatar_uri);
  out.set_bio(m.bio);
  out.set_language(m.language);
  if (m.HasRole(auth::kRoleStaff))
    out.add_badges(common::v1::MEMBER_BADGE_STAFF);
  if (m.verified_customer) {
    out.add_badges(common::v1::MEMBER_BADGE_VERIFIED_CUSTOMER);
  }
  if (m.HasRole(auth::kRoleModerator)) {
    out.add_badges(common::v1::MEMBER_BADGE_MODERATOR);
  }
  for (const auto& row :
       tx.exec_params("SELECT award FROM member_titles WHERE member = $1::uuid"
                      " ORDER BY award_time, title",
                      m.id)) {
    out.add_titles()->ParseFromString(pqxx::binarystring(row[0]).str());
  }
  SetTimestamp(out.mutable_join_time(), m.create_time);
  out.set_etag(ProfileEtag(m));
  return out;
}

}  // namespace agora::identity
