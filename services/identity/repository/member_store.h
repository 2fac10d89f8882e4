// Members as rows: the one place that knows the members table's columns,
// loads a member with its roles, and maps it to the Member and Profile
// messages. Identity stores trust levels 0-4 as tokens carry them; the
// proto enum is one higher (TRUST_LEVEL_NEW = 1).
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_MEMBER_STORE_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_MEMBER_STORE_H_

#include <optional>
#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "agora/identity/v1/identity.pb.h"

namespace agora::identity {

struct MemberRecord {
  std::string id;
  std::string tenant;
  std::string email;  // "" once erased
  std::string email_key;
  bool email_verified = false;
  std::optional<std::string> password_hash;
  std::string display_name;
  std::string avatar_uri;
  std::string bio;
  std::string language;
  v1::Member::State state = v1::Member::STATE_UNSPECIFIED;
  int trust_level = 0;  // 0-4
  std::optional<absl::Time> trust_hold_until;
  bool verified_customer = false;
  std::string accepted_terms_version;
  std::string suspension_reason;
  std::optional<absl::Time> suspension_end_time;
  absl::Time create_time;
  absl::Time update_time;
  std::optional<absl::Time> last_login_time;
  int64_t version = 1;
  int64_t profile_version = 1;
  std::vector<std::string> roles;  // token names, "member" first

  bool HasRole(absl::string_view role) const;
};

// The member `id` of `tenant` with its roles; NOT_FOUND when there is none
// (also for a malformed id). FOR UPDATE when `for_update`.
absl::StatusOr<MemberRecord> LoadMember(pqxx::transaction_base& tx,
                                        absl::string_view tenant,
                                        absl::string_view id,
                                        bool for_update = false);

// The member of `tenant` with this e-mail key, if any.
std::optional<MemberRecord> FindMemberByEmail(pqxx::transaction_base& tx,
                                              absl::string_view tenant,
                                              absl::string_view email_key,
                                              bool for_update = false);

// The select list of a member row (table alias m), for queries of other
// files that then call MemberFromRow and LoadRoles.
extern const char kMemberColumns[];
MemberRecord MemberFromRow(const pqxx::row& row);
// Fills member.roles ("member" first, then granted roles in name order).
void LoadRoles(pqxx::transaction_base& tx, MemberRecord& member);

// Bumps version and update_time of the member (every account change).
void TouchMember(pqxx::transaction_base& tx, absl::string_view id);

v1::Member ToMemberProto(const MemberRecord& member);

// The public profile: never the e-mail. Titles are read from member_titles.
v1::Profile ToProfileProto(pqxx::transaction_base& tx,
                           const MemberRecord& member);

std::string MemberEtag(const MemberRecord& member);
std::string ProfileEtag(const MemberRecord& member);

// Proto timestamps from absl times and back.
void SetTimestamp(google::protobuf::Timestamp* out, absl::Time time);
absl::Time FromTimestamp(const google::protobuf::Timestamp& timestamp);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_MEMBER_STORE_H_
