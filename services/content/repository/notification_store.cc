#include "services/content/repository/notification_store.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "libs/pg/arrays.h"
#include "services/content/repository/post_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

std::string Micros(absl::Time time) {
  return std::to_string(absl::ToUnixMicros(time));
}

std::vector<int> IntsOf(const std::string& joined) {
  std::vector<int> values;
  for (absl::string_view part :
       absl::StrSplit(joined, ',', absl::SkipEmpty())) {
    int value = 0;
    if (absl::SimpleAtoi(part, &value)) values.push_back(value);
  }
  return values;
}

// Column order read by NotificationFromRow.
constexpr char kNotificationColumns[] =
    "n.id, n.type, n.subject_kind, n.subject, n.thread_root,"      // 0-4
    " n.actor_kind, n.actor, n.title, n.excerpt,"                  // 5-8
    " n.idea_status, n.post_state,"                                // 9-10
    " array_to_string(n.moderation_reasons, ','), n.read,"         // 11-12
    " (extract(epoch FROM n.create_time) * 1000000)::bigint,"      // 13
    " m.display_name, m.avatar_uri,"                               // 14-15
    " array_to_string(m.badges, ','), coalesce(m.erased, false)";  // 16-17

v1::Notification NotificationFromRow(const std::string& tenant,
                                     const std::string& member,
                                     const pqxx::row& row) {
  v1::Notification notification;
  notification.set_name(
      NotificationResourceName(tenant, member, row[0].as<std::string>()));
  const auto type = static_cast<common::NotificationType>(row[1].as<int>());
  notification.set_type(type);
  const std::string subject = row[3].as<std::string>();
  if (!subject.empty()) {
    notification.mutable_subject()->set_kind(
        static_cast<common::ContentKind>(row[2].as<int>()));
    notification.mutable_subject()->set_name(PostResourceName(tenant, subject));
  }
  const std::string thread_root = row[4].as<std::string>();
  if (!thread_root.empty()) {
    notification.set_thread_root(PostResourceName(tenant, thread_root));
  }
  const auto actor_kind = static_cast<NotificationActorKind>(row[5].as<int>());
  const std::string actor = row[6].as<std::string>();
  common::MemberRef* ref = nullptr;
  switch (actor_kind) {
    case NotificationActorKind::kMember:
      ref = notification.mutable_actor();
      if (row[17].as<bool>()) {
        ref->set_erased(true);
        break;
      }
      ref->set_name(absl::StrCat("tenants/", tenant, "/members/", actor));
      if (!row[14].is_null()) ref->set_display_name(row[14].as<std::string>());
      if (!row[15].is_null()) ref->set_avatar_uri(row[15].as<std::string>());
      if (!row[16].is_null()) {
        for (int badge : IntsOf(row[16].as<std::string>())) {
          if (common::MemberBadge_IsValid(badge)) {
            ref->add_badges(static_cast<common::MemberBadge>(badge));
          }
        }
      }
      break;
    case NotificationActorKind::kServiceAccount:
      ref = notification.mutable_actor();
      ref->set_name(
          absl::StrCat("tenants/", tenant, "/serviceAccounts/", actor));
      ref->add_badges(common::MEMBER_BADGE_AUTOMATED);
      break;
    case NotificationActorKind::kErasedMember:
      notification.mutable_actor()->set_erased(true);
      break;
    case NotificationActorKind::kNone:
      break;
  }
  // Status changes and merges are made by staff only: their answers carry
  // the badge even when identity never announced the role as a badge.
  if (ref != nullptr && !ref->erased() &&
      (type == common::NOTIFICATION_TYPE_IDEA_STATUS_CHANGED ||
       type == common::NOTIFICATION_TYPE_POST_MERGED)) {
    bool staff = false;
    for (int badge : ref->badges()) {
      staff = staff || badge == common::MEMBER_BADGE_STAFF;
    }
    if (!staff) ref->add_badges(common::MEMBER_BADGE_STAFF);
  }
  notification.set_title(row[7].as<std::string>());
  notification.set_excerpt(row[8].as<std::string>());
  notification.set_idea_status(
      static_cast<common::IdeaStatus>(row[9].as<int>()));
  notification.set_post_state(
      static_cast<common::PostState>(row[10].as<int>()));
  for (int reason : IntsOf(row[11].as<std::string>())) {
    if (common::ModerationReason_IsValid(reason)) {
      notification.add_moderation_reasons(
          static_cast<common::ModerationReason>(reason));
    }
  }
  notification.set_read(row[12].as<bool>());
  *notification.mutable_create_time() =
      TimeUtil::MicrosecondsToTimestamp(row[13].as<int64_t>());
  return notification;
}

std::string BoolArray(const std::vector<NotificationDelivery>& deliveries) {
  std::string array = "{";
  for (size_t i = 0; i < deliveries.size(); ++i) {
    if (i > 0) array.push_back(',');
    array.push_back(deliveries[i].inbox ? 't' : 'f');
  }
  array.push_back('}');
  return array;
}

}  // namespace

std::string NotificationResourceName(const std::string& tenant,
                                     const std::string& member,
                                     const std::string& id) {
  return absl::StrCat("tenants/", tenant, "/members/", member,
                      "/notifications/", id);
}

std::vector<NotificationDelivery> InsertNotifications(
    pqxx::transaction_base& tx, const std::string& tenant,
    const NewNotification& n,
    const std::vector<NotificationDelivery>& deliveries) {
  if (deliveries.empty()) return {};
  std::vector<std::string> members;
  std::vector<std::string> ids;
  for (const NotificationDelivery& delivery : deliveries) {
    members.push_back(delivery.member);
    ids.push_back(delivery.id);
  }
  const pqxx::result rows = tx.exec_params(
      "INSERT INTO notifications (tenant, member, id, source_event, type,"
      " subject_kind, subject, thread_root, actor_kind, actor, title, excerpt,"
      " idea_status, post_state, moderation_reasons, inbox, create_time)"
      " SELECT $1, d.m, d.i, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
      " $15::integer[], d.b, timestamptz 'epoch' + $16::bigint * interval"
      " '1 microsecond'"
      " FROM unnest($2::text[], $3::text[], $17::boolean[]) AS d(m, i, b)"
      " ON CONFLICT DO NOTHING RETURNING member, id, inbox",
      tenant, pg::ToTextArray(members), pg::ToTextArray(ids), n.source_event,
      static_cast<int>(n.type), static_cast<int>(n.subject_kind), n.subject,
      n.thread_root, static_cast<int>(n.actor_kind), n.actor, n.title,
      n.excerpt, static_cast<int>(n.idea_status),
      static_cast<int>(n.post_state),
      absl::StrCat("{", absl::StrJoin(n.moderation_reasons, ","), "}"),
      Micros(n.create_time), BoolArray(deliveries));
  std::vector<NotificationDelivery> inserted;
  inserted.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    inserted.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                        row[2].as<bool>()});
  }
  return inserted;
}

std::vector<v1::Notification> ListNotificationRows(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& member,
    const std::optional<std::pair<int64_t, std::string>>& before,
    bool unread_only, int limit) {
  const pqxx::result rows = tx.exec_params(
      absl::StrCat(
          "SELECT ", kNotificationColumns,
          " FROM notifications n LEFT JOIN members m ON m.tenant = n.tenant"
          " AND m.id = n.actor AND n.actor_kind = 1"
          " WHERE n.tenant = $1 AND n.member = $2 AND n.inbox"
          " AND (NOT $3 OR (n.create_time, n.id) < (timestamptz 'epoch' +"
          " $4::bigint * interval '1 microsecond', $5))"
          " AND (NOT $6 OR NOT n.read)"
          " ORDER BY n.create_time DESC, n.id DESC LIMIT $7"),
      tenant, member, before.has_value(), before ? before->first : 0,
      before ? before->second : std::string(), unread_only, limit);
  std::vector<v1::Notification> notifications;
  notifications.reserve(rows.size());
  for (const pqxx::row& row : rows) {
    notifications.push_back(NotificationFromRow(tenant, member, row));
  }
  return notifications;
}

int CountUnreadRows(pqxx::transaction_base& tx, const std::string& tenant,
                    const std::string& member) {
  return tx
      .exec_params1(
          "SELECT count(*) FROM notifications WHERE tenant = $1 AND"
          " member = $2 AND inbox AND NOT read",
          tenant, member)[0]
      .as<int>();
}

int MarkRowsRead(pqxx::transaction_base& tx, const std::string& tenant,
                 const std::string& member,
                 const std::vector<std::string>& ids) {
  return static_cast<int>(
      tx.exec_params(
            "UPDATE notifications SET read = true WHERE tenant = $1 AND"
            " member = $2 AND id = ANY($3::text[]) AND inbox AND NOT read",
            tenant, member, pg::ToTextArray(ids))
          .affected_rows());
}

int MarkRowsReadBefore(pqxx::transaction_base& tx, const std::string& tenant,
                       const std::string& member, absl::Time before) {
  return static_cast<int>(
      tx.exec_params(
            "UPDATE notifications SET read = true WHERE tenant = $1 AND"
            " member = $2 AND inbox AND NOT read AND create_time <"
            " timestamptz 'epoch'"
            " + $3::bigint * interval '1 microsecond'",
            tenant, member, Micros(before))
          .affected_rows());
}

bool ClaimNotificationSource(pqxx::transaction_base& tx,
                             const std::string& tenant,
                             const std::string& event_id, absl::Time now) {
  return !tx.exec_params(
                "INSERT INTO notification_sources (tenant, event_id,"
                " apply_time) VALUES ($1, $2, timestamptz 'epoch' +"
                " $3::bigint * interval '1 microsecond') ON CONFLICT DO"
                " NOTHING RETURNING 1",
                tenant, event_id, Micros(now))
              .empty();
}

int DeleteNotificationsBefore(pqxx::transaction_base& tx, absl::Time cutoff,
                              int limit) {
  tx.exec_params(
      "DELETE FROM notification_sources WHERE ctid IN (SELECT ctid FROM"
      " notification_sources WHERE apply_time < timestamptz 'epoch' +"
      " $1::bigint * interval '1 microsecond' LIMIT $2)",
      Micros(cutoff), limit);
  return static_cast<int>(
      tx.exec_params("DELETE FROM notifications WHERE ctid IN (SELECT ctid FROM"
                     " notifications WHERE create_time < timestamptz 'epoch' +"
                     " $1::bigint * interval '1 microsecond' LIMIT $2)",
                     Micros(cutoff), limit)
          .affected_rows());
}

void ForgetMemberNotifications(pqxx::transaction_base& tx,
                               const std::string& tenant,
                               const std::string& member) {
  tx.exec_params("DELETE FROM notifications WHERE tenant = $1 AND member = $2",
                 tenant, member);
  tx.exec_params(
      "DELETE FROM notification_preferences WHERE tenant = $1 AND"
      " member = $2",
      tenant, member);
  tx.exec_params(
      "UPDATE notifications SET actor_kind = $3, actor = '' WHERE"
      " tenant = $1 AND actor_kind = $4 AND actor = $2",
      tenant, member, static_cast<int>(NotificationActorKind::kErasedMember),
      static_cast<int>(NotificationActorKind::kMember));
}

StoredPreferences LoadPreferences(pqxx::transaction_base& tx,
                                  const std::string& tenant,
                                  const std::string& member) {
  const pqxx::result rows = tx.exec_params(
      "SELECT data, version,"
      " (extract(epoch FROM update_time) * 1000000)::bigint"
      " FROM notification_preferences WHERE tenant = $1 AND member = $2",
      tenant, member);
  StoredPreferences stored;
  if (rows.empty()) return stored;
  stored.preferences.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  stored.version = rows[0][1].as<int64_t>();
  *stored.preferences.mutable_update_time() =
      TimeUtil::MicrosecondsToTimestamp(rows[0][2].as<int64_t>());
  return stored;
}

void SavePreferences(pqxx::transaction_base& tx, const std::string& tenant,
                     const std::string& member,
                     const v1::NotificationPreferences& preferences,
                     absl::Time now) {
  const pqxx::binarystring data(preferences.SerializeAsString());
  tx.exec_params(
      "INSERT INTO notification_preferences (tenant, member, data, version,"
      " update_time) VALUES ($1, $2, $3, 1, timestamptz 'epoch' + $4::bigint"
      " * interval '1 microsecond') ON CONFLICT (tenant, member) DO UPDATE"
      " SET data = excluded.data, version = notification_preferences.version"
      " + 1, update_time = excluded.update_time",
      tenant, member, data, Micros(now));
}

absl::flat_hash_map<std::string, RecipientFacts> FindRecipientFacts(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::vector<std::string>& members) {
  absl::flat_hash_map<std::string, RecipientFacts> facts;
  if (members.empty()) return facts;
  const pqxx::result rows = tx.exec_params(
      "SELECT r.id, p.data, coalesce(m.language, ''),"
      " coalesce(m.erased, false) FROM unnest($2::text[]) AS r(id)"
      " LEFT JOIN notification_preferences p ON p.tenant = $1 AND"
      " p.member = r.id LEFT JOIN members m ON m.tenant = $1 AND m.id = r.id",
      tenant, pg::ToTextArray(members));
  for (const pqxx::row& row : rows) {
    RecipientFacts& fact = facts[row[0].as<std::string>()];
    if (!row[1].is_null()) {
      fact.preferences.ParseFromString(pqxx::binarystring(row[1]).str());
    }
    fact.language = row[2].as<std::string>();
    fact.erased = row[3].as<bool>();
  }
  return facts;
}

}  // namespace agora::content
