#include "services/content/domain/notifications.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/update_mask.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/keyset.h"
#include "services/content/domain/own_member.h"
#include "services/content/repository/notification_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;
using google::protobuf::util::TimeUtil;

constexpr int kMaxMarkedNames = 100;
constexpr absl::string_view kMutablePreferenceFields[] = {"settings",
                                                          "email_digest"};
constexpr char kPreferencesSuffix[] = "notificationPreferences";

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

// The member of a tenants/{t}/members/{m}/notificationPreferences name,
// who must be the caller.
absl::StatusOr<api::MemberName> PreferencesOwner(
    absl::string_view field, const std::string& name,
    const auth::Principal& caller) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "members"}, kPreferencesSuffix);
  if (!parts.ok()) return parts.status();
  return RequireOwnMember(
      field, api::MemberResourceName((*parts)[0], (*parts)[1]), caller);
}

// The preferences as a member reads them.
v1::NotificationPreferences PreferencesView(const StoredPreferences& stored,
                                            const api::MemberName& member) {
  v1::NotificationPreferences view = stored.preferences;
  view.set_name(
      absl::StrCat(api::MemberResourceName(member.tenant, member.member), "/",
                   kPreferencesSuffix));
  view.set_etag(api::EtagOf(stored.version));
  return view;
}

absl::Status ValidatePreferences(const v1::NotificationPreferences& given,
                                 const std::set<std::string>& paths) {
  if (paths.count("settings") > 0) {
    absl::flat_hash_set<int> seen;
    for (int i = 0; i < given.settings_size(); ++i) {
      const int type = given.settings(i).type();
      const std::string field =
          absl::StrCat("notification_preferences.settings[", i, "].type");
      if (type == common::NOTIFICATION_TYPE_UNSPECIFIED ||
          !common::NotificationType_IsValid(type)) {
        return Invalid(field, "must be a notification type");
      }
      if (!seen.insert(type).second) {
        return Invalid(field, "at most one entry per type");
      }
    }
  }
  if (paths.count("email_digest") > 0 &&
      !v1::NotificationPreferences::EmailDigest_IsValid(given.email_digest())) {
    return Invalid("notification_preferences.email_digest",
                   "must be an EmailDigest value");
  }
  return absl::OkStatus();
}

}  // namespace

NotificationChannels ChannelsFor(const v1::NotificationPreferences& preferences,
                                 common::NotificationType type) {
  NotificationChannels channels;
  for (const v1::NotificationChannelSetting& setting : preferences.settings()) {
    if (setting.type() == type) {
      channels = {setting.inbox(), setting.email(), setting.push()};
      break;
    }
  }
  if (type == common::NOTIFICATION_TYPE_MODERATION_DECISION) {
    channels.inbox = true;
  }
  const auto digest = preferences.email_digest();
  if (digest != v1::NotificationPreferences::EMAIL_DIGEST_UNSPECIFIED &&
      digest != v1::NotificationPreferences::EMAIL_DIGEST_IMMEDIATE) {
    channels.email = false;
  }
  return channels;
}

absl::StatusOr<v1::ListNotificationsResponse> ListNotifications(
    ContentContext& context, const auth::Principal& caller,
    const v1::ListNotificationsRequest& request) {
  absl::StatusOr<api::MemberName> member =
      RequireOwnMember("parent", request.parent(), caller);
  if (!member.ok()) return member.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::optional<TimeIdPosition>> before =
      DecodeTimeIdToken(request.page_token());
  if (!before.ok()) return before.status();
  v1::ListNotificationsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::vector<v1::Notification> rows =
            ListNotificationRows(tx, member->tenant, member->member, *before,
                                 request.unread_only(), *size + 1);
        response.Clear();
        for (size_t i = 0; i < rows.size() && i < size_t(*size); ++i) {
          *response.add_notifications() = std::move(rows[i]);
        }
        if (rows.size() > size_t(*size)) {
          const v1::Notification& last = response.notifications(*size - 1);
          response.set_next_page_token(
              TimeIdToken(last.create_time(), last.name()));
        }
        response.set_unread_count(
            CountUnreadRows(tx, member->tenant, member->member));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::CountUnreadNotificationsResponse> CountUnreadNotifications(
    ContentContext& context, const auth::Principal& caller,
    const v1::CountUnreadNotificationsRequest& request) {
  absl::StatusOr<api::MemberName> member =
      RequireOwnMember("parent", request.parent(), caller);
  if (!member.ok()) return member.status();
  v1::CountUnreadNotificationsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.set_unread_count(
            CountUnreadRows(tx, member->tenant, member->member));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::MarkNotificationsReadResponse> MarkNotificationsRead(
    ContentContext& context, const auth::Principal& caller,
    const v1::MarkNotificationsReadRequest& request) {
  absl::StatusOr<api::MemberName> member =
      RequireOwnMember("parent", request.parent(), caller);
  if (!member.ok()) return member.status();
  const bool by_names = request.names_size() > 0;
  const bool by_time = request.has_read_before_time();
  if (by_names == by_time) {
    return Invalid("names", "set exactly one of names and read_before_time");
  }
  std::vector<std::string> ids;
  if (by_names) {
    if (request.names_size() > kMaxMarkedNames) {
      return Invalid("names", absl::StrCat("at most ", kMaxMarkedNames));
    }
    for (int i = 0; i < request.names_size(); ++i) {
      const std::string field = absl::StrCat("names[", i, "]");
      absl::StatusOr<std::vector<std::string>> parts = api::ParseName(
          field, request.names(i), {"tenants", "members", "notifications"});
      if (!parts.ok()) return parts.status();
      const std::string& owner =
          (*parts)[1] == "me" ? caller.subject : (*parts)[1];
      if ((*parts)[0] != member->tenant || owner != member->member) {
        return Invalid(field, "not a notification of parent");
      }
      ids.push_back((*parts)[2]);
    }
  }
  absl::Time before = absl::InfinitePast();
  if (by_time) {
    const google::protobuf::Timestamp& time = request.read_before_time();
    if (time.seconds() < TimeUtil::kTimestampMinSeconds ||
        time.seconds() > TimeUtil::kTimestampMaxSeconds || time.nanos() < 0 ||
        time.nanos() > 999999999) {
      return Invalid("read_before_time", "not a valid timestamp");
    }
    before = absl::FromUnixMicros(
        TimeUtil::TimestampToMicroseconds(request.read_before_time()));
  }
  v1::MarkNotificationsReadResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        response.set_marked_count(
            by_names ? MarkRowsRead(tx, member->tenant, member->member, ids)
                     : MarkRowsReadBefore(tx, member->tenant, member->member,
                                          before));
        response.set_unread_count(
            CountUnreadRows(tx, member->tenant, member->member));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::NotificationPreferences> GetNotificationPreferences(
    ContentContext& context, const auth::Principal& caller,
    const v1::GetNotificationPreferencesRequest& request) {
  absl::StatusOr<api::MemberName> member =
      PreferencesOwner("name", request.name(), caller);
  if (!member.ok()) return member.status();
  v1::NotificationPreferences preferences;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        preferences = PreferencesView(
            LoadPreferences(tx, member->tenant, member->member), *member);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return preferences;
}

absl::StatusOr<v1::NotificationPreferences> UpdateNotificationPreferences(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateNotificationPreferencesRequest& request) {
  const v1::NotificationPreferences& given = request.notification_preferences();
  absl::StatusOr<api::MemberName> member =
      PreferencesOwner("notification_preferences.name", given.name(), caller);
  if (!member.ok()) return member.status();
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kMutablePreferenceFields,
                     "NotificationPreferences");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidatePreferences(given, *paths); !s.ok()) return s;
  const idempotency::IdempotencyKey key{
      member->tenant, "UpdateNotificationPreferences", request.request_id(),
      api::MemberResourceName(member->tenant, member->member)};
  v1::NotificationPreferences updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        tx.exec_params("SELECT pg_advisory_xact_lock(hashtext($1))",
                       absl::StrCat("content-preferences/", member->tenant, "/",
                                    member->member));
        const StoredPreferences current =
            LoadPreferences(tx, member->tenant, member->member);
        if (!given.etag().empty() &&
            given.etag() != api::EtagOf(current.version)) {
          return api::EtagMismatch("notification_preferences.etag",
                                   "the notification preferences");
        }
        v1::NotificationPreferences merged = current.preferences;
        if (paths->count("settings") > 0) {
          merged.clear_settings();
          for (const v1::NotificationChannelSetting& setting :
               given.settings()) {
            v1::NotificationChannelSetting& saved = *merged.add_settings();
            saved = setting;
            // Shown whatever the member asks: their own posts' fate.
            if (setting.type() ==
                common::NOTIFICATION_TYPE_MODERATION_DECISION) {
              saved.set_inbox(true);
            }
          }
        }
        if (paths->count("email_digest") > 0) {
          merged.set_email_digest(given.email_digest());
        }
        merged.clear_name();
        merged.clear_etag();
        merged.clear_update_time();
        SavePreferences(tx, member->tenant, member->member, merged,
                        context.now());
        updated = PreferencesView(
            LoadPreferences(tx, member->tenant, member->member), *member);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<int> PruneNotifications(ContentContext& context,
                                       int batch_size) {
  if (batch_size <= 0) return Invalid("batch_size", "must be positive");
  const absl::Time cutoff = context.now() - kNotificationRetention;
  int deleted = 0;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        deleted = DeleteNotificationsBefore(tx, cutoff, batch_size);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return deleted;
}

}  // namespace agora::content
