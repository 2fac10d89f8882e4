// Follows of posts, categories and members: one per member and target, the
// posts' follower counts in step, the member themselves only, the limit,
// pages, and the follows made automatically from content's and ranking's
// events (authors, repliers, voters).
#include <gtest/gtest.h>

#include <set>

#include "absl/strings/match.h"
#include "tests/services/content/notification_fixture.h"

namespace agora::content {
namespace {

using FollowsTest = NotificationTest;

TEST_F(FollowsTest, MembersFollowPostsCategoriesAndMembersOnce) {
  const v1::Post question = Ask("alice");
  Deliver();
  EXPECT_EQ(Read(question.name()).follower_count(), 1) << "the author follows";

  absl::StatusOr<v1::Follow> follow = FollowPost("bruno", question.name());
  ASSERT_TRUE(follow.ok()) << follow.status();
  EXPECT_TRUE(
      absl::StartsWith(follow->name(), MemberName("bruno") + "/follows/"))
      << follow->name();
  EXPECT_EQ(follow->post(), question.name());
  EXPECT_EQ(follow->reason(), v1::FOLLOW_REASON_EXPLICIT);
  EXPECT_TRUE(follow->has_create_time());
  EXPECT_EQ(Read(question.name()).follower_count(), 2);

  // Following again returns the same follow and counts nothing twice.
  absl::StatusOr<v1::Follow> again = FollowPost("bruno", question.name());
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->name(), follow->name());
  EXPECT_EQ(Read(question.name()).follower_count(), 2);

  v1::CreateFollowRequest category;
  category.set_parent(absl::StrCat("tenants/", tenant_, "/members/me"));
  category.mutable_follow()->set_category(SpaceName("idees") +
                                          "/categories/appli");
  absl::StatusOr<v1::Follow> by_category =
      CreateFollow(*context_, Member("bruno"), category);
  ASSERT_TRUE(by_category.ok()) << by_category.status();
  EXPECT_EQ(by_category->category(), SpaceName("idees") + "/categories/appli");
  v1::CreateFollowRequest member;
  member.set_parent(MemberName("bruno"));
  member.mutable_follow()->set_member(MemberName("alice"));
  now_ += absl::Seconds(1);
  absl::StatusOr<v1::Follow> by_member =
      CreateFollow(*context_, Member("bruno"), member);
  ASSERT_TRUE(by_member.ok()) << by_member.status();
  EXPECT_EQ(by_member->member(), MemberName("alice"));

  const std::vector<v1::Follow> follows = FollowsOf("bruno");
  ASSERT_EQ(follows.size(), 3u);
  EXPECT_EQ(follows[0].name(), by_member->name()) << "newest first";
  // The target filter tells whether the member follows something.
  EXPECT_EQ(FollowOf("bruno", question.name()).name(), follow->name());
  EXPECT_EQ(FollowOf("bruno", MemberName("alice")).name(), by_member->name());
  EXPECT_TRUE(FollowOf("bruno", MemberName("chloe")).name().empty());

  v1::DeleteFollowRequest unfollow;
  unfollow.set_name(follow->name());
  ASSERT_TRUE(DeleteFollow(*context_, Member("bruno"), unfollow).ok());
  EXPECT_EQ(Read(question.name()).follower_count(), 1);
  EXPECT_TRUE(FollowOf("bruno", question.name()).name().empty());
  EXPECT_EQ(DeleteFollow(*context_, Member("bruno"), unfollow).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(Read(question.name()).follower_count(), 1);
}

TEST_F(FollowsTest, BadTargetsAreRefusedNamingTheFieldAndUnknownOnesNotFound) {
  const v1::Post question = Ask("alice");
  const auto create = [&](v1::Follow follow) {
    v1::CreateFollowRequest request;
    request.set_parent(MemberName("bruno"));
    *request.mutable_follow() = std::move(follow);
    return CreateFollow(*context_, Member("bruno"), request).status();
  };
  const auto expect_invalid = [](const absl::Status& status,
                                 const std::string& field) {
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
    EXPECT_TRUE(absl::StartsWith(status.message(), field + ":")) << status;
  };
  expect_invalid(create(v1::Follow()), "follow.target");
  v1::Follow bad;
  bad.set_post("posts/x");
  expect_invalid(create(bad), "follow.post");
  bad.set_post(
      absl::StrCat("tenants/other/posts/",
                   question.name().substr(question.name().rfind('/') + 1)));
  expect_invalid(create(bad), "follow.post");
  bad.set_category(SpaceName("idees"));
  expect_invalid(create(bad), "follow.category");
  bad.set_member(MemberName("bruno"));
  expect_invalid(create(bad), "follow.member");

  v1::Follow unknown;
  unknown.set_post(absl::StrCat("tenants/", tenant_, "/posts/nothing"));
  EXPECT_EQ(create(unknown).code(), absl::StatusCode::kNotFound);
  unknown.set_category(SpaceName("idees") + "/categories/nothing");
  EXPECT_EQ(create(unknown).code(), absl::StatusCode::kNotFound);
  unknown.set_member(MemberName("nobody"));
  EXPECT_EQ(create(unknown).code(), absl::StatusCode::kNotFound);
  // A post others cannot see cannot be followed by them either.
  v1::DeletePostRequest remove;
  remove.set_name(question.name());
  ASSERT_TRUE(DeletePost(*context_, Member("alice"), remove).ok());
  v1::Follow deleted;
  deleted.set_post(question.name());
  EXPECT_EQ(create(deleted).code(), absl::StatusCode::kNotFound);

  v1::CreateFollowRequest bad_request_id;
  bad_request_id.set_parent(MemberName("bruno"));
  bad_request_id.mutable_follow()->set_member(MemberName("alice"));
  bad_request_id.set_request_id("not a uuid!");
  EXPECT_EQ(
      CreateFollow(*context_, Member("bruno"), bad_request_id).status().code(),
      absl::StatusCode::kInvalidArgument);

  v1::ListFollowsRequest list;
  list.set_parent(MemberName("bruno"));
  list.set_page_token("garbage");
  expect_invalid(ListFollows(*context_, Member("bruno"), list).status(),
                 "page_token");
  list.clear_page_token();
  list.set_target("tenants/x/widgets/y");
  expect_invalid(ListFollows(*context_, Member("bruno"), list).status(),
                 "target");
  EXPECT_TRUE(FollowsOf("bruno").empty()) << "nothing was stored";
}

TEST_F(FollowsTest, OnlyTheMemberTouchesTheirFollows) {
  const v1::Post question = Ask("alice");
  absl::StatusOr<v1::Follow> follow = FollowPost("bruno", question.name());
  ASSERT_TRUE(follow.ok()) << follow.status();

  v1::CreateFollowRequest create;
  create.set_parent(MemberName("bruno"));
  create.mutable_follow()->set_post(question.name());
  EXPECT_EQ(CreateFollow(*context_, Member("chloe"), create).status().code(),
            absl::StatusCode::kPermissionDenied);
  // Admins do not read members' follows either; nor another tenant.
  v1::ListFollowsRequest list;
  list.set_parent(MemberName("bruno"));
  EXPECT_EQ(ListFollows(*context_, Admin(), list).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal stranger = Member("bruno");
  stranger.tenant = "elsewhere";
  EXPECT_EQ(ListFollows(*context_, stranger, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  auth::Principal platform = Member("root");
  platform.tenant = "platform";
  platform.roles = {auth::kRolePlatformAdmin};
  EXPECT_EQ(ListFollows(*context_, platform, list).status().code(),
            absl::StatusCode::kPermissionDenied);
  v1::DeleteFollowRequest unfollow;
  unfollow.set_name(follow->name());
  EXPECT_EQ(DeleteFollow(*context_, Member("chloe"), unfollow).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(FollowsOf("bruno").size(), 1u) << "still there";
  // `me` is the caller.
  v1::ListFollowsRequest mine;
  mine.set_parent(absl::StrCat("tenants/", tenant_, "/members/me"));
  absl::StatusOr<v1::ListFollowsResponse> listed =
      ListFollows(*context_, Member("bruno"), mine);
  ASSERT_TRUE(listed.ok()) << listed.status();
  EXPECT_EQ(listed->follows_size(), 1);
}

TEST_F(FollowsTest, AMemberFollowsAtMostFiveThousandThings) {
  const v1::Post question = Ask("alice");
  // 4,999 member follows written directly (the API path is the same).
  absl::Status filled =
      pg::RunTransaction(*pool_, [&](pqxx::transaction_base& tx) {
        tx.exec_params(
            "INSERT INTO follows (tenant, member, id, target_kind, target,"
            " reason, create_time) SELECT $1, 'bruno', 'f' || g, 3,"
            " 'm' || g, 1, now() FROM generate_series(1, 4999) AS g",
            tenant_);
        return absl::OkStatus();
      });
  ASSERT_TRUE(filled.ok()) << filled;
  absl::StatusOr<v1::Follow> last = FollowPost("bruno", question.name());
  ASSERT_TRUE(last.ok()) << last.status();
  const v1::Post other = Ask("chloe", "Autre question");
  absl::Status beyond = FollowPost("bruno", other.name()).status();
  EXPECT_EQ(beyond.code(), absl::StatusCode::kResourceExhausted) << beyond;
  // What is followed already is still answered.
  EXPECT_TRUE(FollowPost("bruno", question.name()).ok());
  // Automatic follows stop at the limit too, silently.
  ApplyNotify(VoteEvent("bruno", other));
  EXPECT_TRUE(FollowOf("bruno", other.name()).name().empty());
  EXPECT_EQ(Read(other.name()).follower_count(), 0);

  v1::DeleteFollowRequest unfollow;
  unfollow.set_name(last->name());
  ASSERT_TRUE(DeleteFollow(*context_, Member("bruno"), unfollow).ok());
  EXPECT_TRUE(FollowPost("bruno", other.name()).ok());
}

TEST_F(FollowsTest, FollowsPageNewestFirst) {
  std::vector<std::string> names;
  for (const char* member : {"alice", "chloe", "dario", "camille"}) {
    now_ += absl::Seconds(1);
    v1::CreateFollowRequest request;
    request.set_parent(MemberName("bruno"));
    request.mutable_follow()->set_member(MemberName(member));
    absl::StatusOr<v1::Follow> follow =
        CreateFollow(*context_, Member("bruno"), request);
    ASSERT_TRUE(follow.ok()) << follow.status();
    names.insert(names.begin(), follow->name());
  }
  std::vector<std::string> paged;
  v1::ListFollowsRequest request;
  request.set_parent(MemberName("bruno"));
  request.set_page_size(3);
  int pages = 0;
  do {
    absl::StatusOr<v1::ListFollowsResponse> page =
        ListFollows(*context_, Member("bruno"), request);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const v1::Follow& follow : page->follows()) {
      paged.push_back(follow.name());
    }
    request.set_page_token(page->next_page_token());
    ++pages;
  } while (!request.page_token().empty() && pages < 10);
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(paged, names);
}

TEST_F(FollowsTest, AuthorsRepliersAndVotersFollowAutomatically) {
  const v1::Post question = Ask("alice");
  const v1::Post answer = Answer("bruno", question);
  Comment("chloe", answer);
  const v1::Post idea = Idea("alice", "Payer sans contact avec la montre");
  Deliver();
  EXPECT_EQ(FollowOf("alice", question.name()).reason(),
            v1::FOLLOW_REASON_AUTHOR);
  EXPECT_EQ(FollowOf("alice", idea.name()).reason(), v1::FOLLOW_REASON_AUTHOR);
  // Answerers and commenters follow the thread, not their own reply.
  EXPECT_EQ(FollowOf("bruno", question.name()).reason(),
            v1::FOLLOW_REASON_REPLIED);
  EXPECT_EQ(FollowOf("chloe", question.name()).reason(),
            v1::FOLLOW_REASON_REPLIED);
  EXPECT_TRUE(FollowOf("bruno", answer.name()).name().empty());
  EXPECT_EQ(Read(question.name()).follower_count(), 3);

  const ev::Event vote = VoteEvent("dario", idea);
  ApplyNotify(vote);
  ApplyNotify(vote);  // applied twice: still one follow
  EXPECT_EQ(FollowOf("dario", idea.name()).reason(), v1::FOLLOW_REASON_VOTED);
  EXPECT_EQ(Read(idea.name()).follower_count(), 2);
  // An explicit follow of something followed automatically keeps it.
  absl::StatusOr<v1::Follow> explicit_follow = FollowPost("dario", idea.name());
  ASSERT_TRUE(explicit_follow.ok());
  EXPECT_EQ(explicit_follow->reason(), v1::FOLLOW_REASON_VOTED);
  // Votes on posts content does not know, or of another tenant, follow
  // nothing.
  v1::Post ghost = idea;
  ghost.set_name(absl::StrCat("tenants/", tenant_, "/posts/ghost"));
  ApplyNotify(VoteEvent("dario", ghost));
  ghost.set_name(absl::StrCat("tenants/other/posts/",
                              idea.name().substr(idea.name().rfind('/') + 1)));
  ApplyNotify(VoteEvent("dario", ghost));
  EXPECT_EQ(FollowsOf("dario").size(), 1u);

  // Every event applied again doubles nothing.
  delivered_ = 0;
  Deliver();
  EXPECT_EQ(Read(question.name()).follower_count(), 3);
  EXPECT_EQ(Read(idea.name()).follower_count(), 2);
  EXPECT_EQ(FollowsOf("alice").size(), 2u);
}

}  // namespace
}  // namespace agora::content
