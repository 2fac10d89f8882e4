#include "services/content/domain/member_export.h"

#include <google/protobuf/util/time_util.h>

#include <limits>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/resource_names.h"
#include "libs/api/update_mask.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/access.h"
#include "services/content/repository/follow_store.h"
#include "services/content/repository/notification_store.h"
#include "services/content/repository/post_store.h"

namespace agora::content {

absl::StatusOr<v1::MemberContentData> ExportMemberData(
    ContentContext& context, const auth::Principal& caller,
    const v1::ExportMemberDataRequest& request) {
  absl::StatusOr<api::MemberName> member =
      api::ParseMemberName("name", request.name(), &caller);
  if (!member.ok()) return member.status();
  const bool self = !caller.is_service_account &&
                    caller.tenant == member->tenant &&
                    caller.subject == member->member;
  if (!self && !IsTenantAdmin(&caller, member->tenant)) {
    return absl::PermissionDeniedError(
        "name: only the member themselves or an admin of the tenant may "
        "export their data");
  }
  v1::MemberContentData data;
  absl::Status status = pg::RunTransaction(
      context.pool,
      [&](pqxx::transaction_base& tx) {
        data.Clear();
        data.set_member(
            api::MemberResourceName(member->tenant, member->member));
        // Authored posts only: once erased, authorship is gone and so is
        // the member's claim on them.
        const std::vector<StoredPost> posts =
            QueryPosts(tx, member->tenant,
                       "AND p.author = $2 AND NOT p.author_is_service"
                       " ORDER BY p.create_time, p.id",
                       {member->member});
        const bool known = !posts.empty() ||
                           !tx.exec_params(
                                  "SELECT 1 FROM members WHERE tenant = $1 AND"
                                  " id = $2",
                                  member->tenant, member->member)
                                .empty();
        if (!known) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        for (const StoredPost& post : posts) {
          *data.add_posts() = post.post;
          std::vector<v1::PostRevision> revisions =
              ListRevisionRows(tx, member->tenant, post.id, std::nullopt,
                               std::numeric_limits<int>::max());
          // Oldest first, like the posts.
          for (auto it = revisions.rbegin(); it != revisions.rend(); ++it) {
            *data.add_revisions() = std::move(*it);
          }
        }
        for (v1::Follow& follow :
             AllFollowRows(tx, member->tenant, member->member)) {
          *data.add_follows() = std::move(follow);
        }
        const StoredPreferences preferences =
            LoadPreferences(tx, member->tenant, member->member);
        v1::NotificationPreferences& exported =
            *data.mutable_notification_preferences();
        exported = preferences.preferences;
        exported.set_name(
            absl::StrCat(data.member(), "/notificationPreferences"));
        exported.set_etag(api::EtagOf(preferences.version));
        return absl::OkStatus();
      },
      {.isolation = pg::Isolation::kRepeatableRead});
  if (!status.ok()) return status;
  *data.mutable_export_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
          absl::ToUnixMicros(context.now()));
  return data;
}

}  // namespace agora::content
