// The GDPR export of what content holds that a member provided: their posts
// in every state with every revision, their follows and notification
// preferences; for the member, the tenant's admins and platform admins.
#include "services/content/domain/member_export.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/services/content/notification_fixture.h"

namespace agora::content {
namespace {

using ContentExportTest = NotificationTest;

TEST_F(ContentExportTest, TheMemberGetsEveryPostRevisionFollowAndPreference) {
  const v1::Post question = Ask("alice", "Première question");
  now_ += absl::Minutes(5);
  v1::UpdatePostRequest edit;
  edit.mutable_post()->set_name(question.name());
  edit.mutable_post()->set_body("Texte précisé");
  edit.mutable_update_mask()->add_paths("body");
  ASSERT_TRUE(UpdatePost(*context_, Member("alice"), edit).ok());
  now_ += absl::Minutes(1);
  const v1::Post gone = Ask("alice", "Question retirée");
  v1::DeletePostRequest remove;
  remove.set_name(gone.name());
  ASSERT_TRUE(DeletePost(*context_, Member("alice"), remove).ok());
  const v1::Post others = Ask("bruno", "Pas la sienne");
  Deliver();
  ASSERT_TRUE(FollowPost("alice", others.name()).ok());
  v1::UpdateNotificationPreferencesRequest preferences;
  preferences.mutable_notification_preferences()->set_name(
      MemberName("alice") + "/notificationPreferences");
  preferences.mutable_notification_preferences()->set_email_digest(
      v1::NotificationPreferences::EMAIL_DIGEST_WEEKLY);
  preferences.mutable_update_mask()->add_paths("email_digest");
  ASSERT_TRUE(
      UpdateNotificationPreferences(*context_, Member("alice"), preferences)
          .ok());

  v1::ExportMemberDataRequest request;
  request.set_name(absl::StrCat("tenants/", tenant_, "/members/me"));
  absl::StatusOr<v1::MemberContentData> data =
      ExportMemberData(*context_, Member("alice"), request);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(data->member(), MemberName("alice"));
  ASSERT_EQ(data->posts_size(), 2) << "deleted posts included, others' not";
  EXPECT_EQ(data->posts(0).name(), question.name());
  EXPECT_EQ(data->posts(0).body(), "Texte précisé");
  EXPECT_TRUE(data->posts(0).has_moderation());
  EXPECT_EQ(data->posts(1).state(), common::POST_STATE_DELETED);
  ASSERT_EQ(data->revisions_size(), 3);
  std::set<std::string> revised;
  for (const v1::PostRevision& revision : data->revisions()) {
    revised.insert(
        revision.name().substr(0, revision.name().find("/revisions/")));
  }
  EXPECT_EQ(revised, (std::set<std::string>{question.name(), gone.name()}));
  EXPECT_EQ(data->revisions(0).body(),
            "Comment relever le plafond de paiement ?")
      << "oldest first";
  // Her own questions (author follows; the deleted one's too) and Bruno's.
  std::set<std::string> followed;
  for (const v1::Follow& follow : data->follows())
    followed.insert(follow.post());
  EXPECT_EQ(followed, (std::set<std::string>{question.name(), gone.name(),
                                             others.name()}));
  EXPECT_EQ(data->notification_preferences().email_digest(),
            v1::NotificationPreferences::EMAIL_DIGEST_WEEKLY);
  EXPECT_EQ(data->notification_preferences().name(),
            MemberName("alice") + "/notificationPreferences");
  EXPECT_TRUE(data->has_export_time());
}

TEST_F(ContentExportTest, AdminsMayExportOthersMayNot) {
  Ask("alice");
  v1::ExportMemberDataRequest request;
  request.set_name(MemberName("alice"));
  absl::StatusOr<v1::MemberContentData> by_admin =
      ExportMemberData(*context_, Admin(), request);
  ASSERT_TRUE(by_admin.ok()) << by_admin.status();
  EXPECT_EQ(by_admin->posts_size(), 1);
  auth::Principal platform = Member("root");
  platform.tenant = "platform";
  platform.roles = {auth::kRolePlatformAdmin};
  EXPECT_TRUE(ExportMemberData(*context_, platform, request).ok());

  EXPECT_EQ(
      ExportMemberData(*context_, Member("bruno"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(
      ExportMemberData(*context_, Moderator("lea"), request).status().code(),
      absl::StatusCode::kPermissionDenied);
  auth::Principal foreign_admin = Admin();
  foreign_admin.tenant = "elsewhere";
  EXPECT_EQ(ExportMemberData(*context_, foreign_admin, request).status().code(),
            absl::StatusCode::kPermissionDenied);

  request.set_name(MemberName("nobody"));
  EXPECT_EQ(ExportMemberData(*context_, Admin(), request).status().code(),
            absl::StatusCode::kNotFound);
  request.set_name("tenants/x/people/y");
  absl::Status bad = ExportMemberData(*context_, Admin(), request).status();
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message().substr(0, 5), "name:");
}

}  // namespace
}  // namespace agora::content
