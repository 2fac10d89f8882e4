// Spaces, categories and content settings: tenant admins manage them,
// everyone reads them (hidden spaces excepted), with etags, idempotent
// creates and errors that name the field.
#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "libs/status/error_details.h"
#include "services/content/domain/content_settings.h"
#include "tests/services/content/content_fixture.h"

namespace agora::content {
namespace {

TEST_F(ContentTest, AdminCreatesSpacesEveryoneListsThemInOrder) {
  MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
  MakeSpace("questions", v1::SPACE_KIND_QUESTIONS);
  v1::UpdateSpaceRequest move;
  move.mutable_space()->set_name(SpaceName("idees"));
  move.mutable_space()->set_display_order(5);
  move.mutable_update_mask()->add_paths("display_order");
  ASSERT_TRUE(UpdateSpace(*context_, Admin(), move).ok());

  v1::ListSpacesRequest list;
  list.set_parent("tenants/" + tenant_);
  absl::StatusOr<v1::ListSpacesResponse> spaces =
      ListSpaces(*context_, nullptr, list);
  ASSERT_TRUE(spaces.ok()) << spaces.status();
  ASSERT_EQ(spaces->spaces_size(), 2);
  EXPECT_EQ(spaces->spaces(0).name(), SpaceName("questions"));
  EXPECT_EQ(spaces->spaces(1).name(), SpaceName("idees"));
  EXPECT_EQ(spaces->spaces(1).display_name().translations().at("fr"),
            "Espace idees");

  list.set_page_size(1);
  absl::StatusOr<v1::ListSpacesResponse> first =
      ListSpaces(*context_, nullptr, list);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->spaces_size(), 1);
  ASSERT_FALSE(first->next_page_token().empty());
  list.set_page_token(first->next_page_token());
  absl::StatusOr<v1::ListSpacesResponse> second =
      ListSpaces(*context_, nullptr, list);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->spaces_size(), 1);
  EXPECT_EQ(second->spaces(0).name(), SpaceName("idees"));
  EXPECT_TRUE(second->next_page_token().empty());
}

TEST_F(ContentTest, OnlyTenantAdminsManageSpaces) {
  v1::CreateSpaceRequest request;
  request.set_parent("tenants/" + tenant_);
  request.set_space_id("forum");
  request.mutable_space()->set_kind(v1::SPACE_KIND_FORUM);
  (*request.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Forum";
  EXPECT_EQ(CreateSpace(*context_, Member("alice"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CreateSpace(*context_, Moderator("mod"), request).status().code(),
            absl::StatusCode::kPermissionDenied);
  // An admin of another tenant neither.
  auth::Principal other = Admin();
  other.tenant = "elsewhere";
  EXPECT_EQ(CreateSpace(*context_, other, request).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_TRUE(CreateSpace(*context_, Admin(), request).ok());
}

TEST_F(ContentTest, SpaceFieldsAreCheckedAndNamed) {
  v1::CreateSpaceRequest request;
  request.set_parent("tenants/" + tenant_);
  request.set_space_id("x");
  request.mutable_space()->set_kind(v1::SPACE_KIND_FORUM);
  (*request.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Forum";
  absl::Status status = CreateSpace(*context_, Admin(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "space_id")) << status;

  request.set_space_id("forum");
  request.mutable_space()->clear_display_name();
  status = CreateSpace(*context_, Admin(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "space.display_name"))
      << status;

  (*request.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = std::string(101, 'a');
  status = CreateSpace(*context_, Admin(), request).status();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(status.message(), "space.display_name[fr]"))
      << status;

  request.mutable_space()->clear_kind();
  (*request.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Forum";
  status = CreateSpace(*context_, Admin(), request).status();
  EXPECT_TRUE(absl::StartsWith(status.message(), "space.kind")) << status;
}

TEST_F(ContentTest, CreatingASpaceTwiceIsIdempotentByRequestIdElseAConflict) {
  v1::CreateSpaceRequest request;
  request.set_parent("tenants/" + tenant_);
  request.set_space_id("blog");
  request.set_request_id("c0ffee00-0000-4000-8000-000000000001");
  request.mutable_space()->set_kind(v1::SPACE_KIND_BLOG);
  (*request.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Blog";
  absl::StatusOr<v1::Space> first = CreateSpace(*context_, Admin(), request);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<v1::Space> retry = CreateSpace(*context_, Admin(), request);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_EQ(retry->etag(), first->etag());
  request.clear_request_id();
  EXPECT_EQ(CreateSpace(*context_, Admin(), request).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(ContentTest, HiddenSpacesAreForAdminsOnly) {
  MakeSpace("preparation", v1::SPACE_KIND_BLOG);
  v1::UpdateSpaceRequest hide;
  hide.mutable_space()->set_name(SpaceName("preparation"));
  hide.mutable_space()->set_state(v1::Space::STATE_HIDDEN);
  hide.mutable_update_mask()->add_paths("state");
  ASSERT_TRUE(UpdateSpace(*context_, Admin(), hide).ok());
  v1::GetSpaceRequest get;
  get.set_name(SpaceName("preparation"));
  EXPECT_EQ(GetSpace(*context_, nullptr, get).status().code(),
            absl::StatusCode::kNotFound);
  const auth::Principal alice = Member("alice");
  EXPECT_EQ(GetSpace(*context_, &alice, get).status().code(),
            absl::StatusCode::kNotFound);
  const auth::Principal admin = Admin();
  EXPECT_TRUE(GetSpace(*context_, &admin, get).ok());
  v1::ListSpacesRequest list;
  list.set_parent("tenants/" + tenant_);
  EXPECT_EQ(ListSpaces(*context_, nullptr, list)->spaces_size(), 0);
  EXPECT_EQ(ListSpaces(*context_, &admin, list)->spaces_size(), 1);
}

TEST_F(ContentTest, StaleEtagsAreRefusedAndNothingChanges) {
  v1::Space space = MakeSpace("forum", v1::SPACE_KIND_FORUM);
  v1::UpdateSpaceRequest rename;
  *rename.mutable_space() = space;
  (*rename.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Le forum";
  rename.mutable_update_mask()->add_paths("display_name");
  absl::StatusOr<v1::Space> renamed = UpdateSpace(*context_, Admin(), rename);
  ASSERT_TRUE(renamed.ok()) << renamed.status();
  EXPECT_NE(renamed->etag(), space.etag());
  // The same request again carries the old etag now.
  (*rename.mutable_space()
        ->mutable_display_name()
        ->mutable_translations())["fr"] = "Autre nom";
  absl::Status stale = UpdateSpace(*context_, Admin(), rename).status();
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(status::ReasonOf(stale), "ETAG_MISMATCH");
  v1::GetSpaceRequest get;
  get.set_name(space.name());
  EXPECT_EQ(
      GetSpace(*context_, nullptr, get)->display_name().translations().at("fr"),
      "Le forum");
}

TEST_F(ContentTest, CategoriesBelongToTheirSpaceAndBlockItsDeletion) {
  MakeSpace("idees", v1::SPACE_KIND_IDEA_LAB);
  MakeCategory("idees", "cartes");
  MakeCategory("idees", "credit");
  v1::ListCategoriesRequest list;
  list.set_parent(SpaceName("idees"));
  absl::StatusOr<v1::ListCategoriesResponse> categories =
      ListCategories(*context_, nullptr, list);
  ASSERT_TRUE(categories.ok()) << categories.status();
  ASSERT_EQ(categories->categories_size(), 2);
  EXPECT_EQ(categories->categories(0).name(),
            SpaceName("idees") + "/categories/cartes");

  v1::DeleteSpaceRequest delete_space;
  delete_space.set_name(SpaceName("idees"));
  absl::Status refused = DeleteSpace(*context_, Admin(), delete_space).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kFailedPrecondition) << refused;

  v1::UpdateCategoryRequest archive;
  archive.mutable_category()->set_name(SpaceName("idees") +
                                       "/categories/credit");
  archive.mutable_category()->set_state(v1::Category::STATE_ARCHIVED);
  archive.mutable_update_mask()->add_paths("state");
  ASSERT_TRUE(UpdateCategory(*context_, Admin(), archive).ok());
  EXPECT_EQ(ListCategories(*context_, nullptr, list)->categories_size(), 1);
  list.set_show_archived(true);
  EXPECT_EQ(ListCategories(*context_, nullptr, list)->categories_size(), 2);

  for (const char* id : {"cartes", "credit"}) {
    v1::DeleteCategoryRequest remove;
    remove.set_name(SpaceName("idees") + "/categories/" + id);
    ASSERT_TRUE(DeleteCategory(*context_, Admin(), remove).ok());
  }
  EXPECT_TRUE(DeleteSpace(*context_, Admin(), delete_space).ok());
  v1::GetSpaceRequest get;
  get.set_name(SpaceName("idees"));
  EXPECT_EQ(GetSpace(*context_, nullptr, get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ContentTest, SettingsStartWithTheDefaultWorkflow) {
  v1::GetContentSettingsRequest get;
  get.set_name(absl::StrCat("tenants/", tenant_, "/contentSettings"));
  absl::StatusOr<v1::ContentSettings> settings =
      GetContentSettings(*context_, get);
  ASSERT_TRUE(settings.ok()) << settings.status();
  EXPECT_EQ(settings->idea_workflow().statuses_size(), 7);
  EXPECT_TRUE(TransitionAllowed(settings->idea_workflow(),
                                common::IDEA_STATUS_SUBMITTED,
                                common::IDEA_STATUS_UNDER_REVIEW));
  EXPECT_FALSE(TransitionAllowed(settings->idea_workflow(),
                                 common::IDEA_STATUS_SUBMITTED,
                                 common::IDEA_STATUS_DELIVERED));
  EXPECT_EQ(settings->max_posts_per_hour(), 30);
  EXPECT_EQ(settings->edit_window().seconds(), 86400);

  get.set_name("tenants/unknown/contentSettings");
  EXPECT_EQ(GetContentSettings(*context_, get).status().code(),
            absl::StatusCode::kNotFound);
}

TEST_F(ContentTest, SettingsUpdatesAreValidatedAndVersioned) {
  const std::string name =
      absl::StrCat("tenants/", tenant_, "/contentSettings");
  v1::UpdateContentSettingsRequest update;
  update.mutable_content_settings()->set_name(name);
  update.mutable_content_settings()->set_max_posts_per_hour(5);
  update.mutable_content_settings()->add_allowed_media_hosts("*.cdn.example");
  update.mutable_update_mask()->add_paths("max_posts_per_hour");
  update.mutable_update_mask()->add_paths("allowed_media_hosts");
  EXPECT_EQ(
      UpdateContentSettings(*context_, Member("alice"), update).status().code(),
      absl::StatusCode::kPermissionDenied);
  absl::StatusOr<v1::ContentSettings> updated =
      UpdateContentSettings(*context_, Admin(), update);
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->max_posts_per_hour(), 5);
  EXPECT_EQ(updated->edit_window().seconds(), 86400);  // untouched

  // A workflow without DUPLICATE is refused, naming the field.
  v1::UpdateContentSettingsRequest workflow;
  workflow.mutable_content_settings()->set_name(name);
  v1::IdeaStatusDefinition* submitted = workflow.mutable_content_settings()
                                            ->mutable_idea_workflow()
                                            ->add_statuses();
  submitted->set_status(common::IDEA_STATUS_SUBMITTED);
  (*submitted->mutable_label()->mutable_translations())["fr"] = "Soumise";
  workflow.mutable_update_mask()->add_paths("idea_workflow");
  absl::Status refused =
      UpdateContentSettings(*context_, Admin(), workflow).status();
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StrContains(refused.message(), "content_settings.idea_workflow"))
      << refused;

  update.mutable_content_settings()->set_max_posts_per_hour(0);
  refused = UpdateContentSettings(*context_, Admin(), update).status();
  EXPECT_TRUE(absl::StartsWith(refused.message(),
                               "content_settings.max_posts_per_hour"))
      << refused;

  // A stale etag.
  update.mutable_content_settings()->set_max_posts_per_hour(7);
  update.mutable_content_settings()->set_etag("\"0\"");
  EXPECT_EQ(status::ReasonOf(
                UpdateContentSettings(*context_, Admin(), update).status()),
            "ETAG_MISMATCH");
}

}  // namespace
}  // namespace agora::content
