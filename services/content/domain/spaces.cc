#include "services/content/domain/spaces.h"

#include <optional>
#include <pqxx/pqxx>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "libs/api/caller.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/access.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/localized_text.h"
#include "services/content/repository/space_store.h"

namespace agora::content {
namespace {

namespace common = agora::common::v1;

constexpr absl::string_view kSpaceFields[] = {
    "display_name",    "description",   "moderation_mode",
    "evaluation_mode", "display_order", "state"};
constexpr absl::string_view kCategoryFields[] = {"display_name", "description",
                                                 "display_order", "state"};

struct SpaceName {
  std::string tenant;
  std::string space;
};

absl::StatusOr<SpaceName> ParseSpaceName(absl::string_view field,
                                         absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "spaces"});
  if (!parts.ok()) return parts.status();
  return SpaceName{(*parts)[0], (*parts)[1]};
}

struct CategoryName {
  std::string tenant;
  std::string space;
  std::string category;
};

absl::StatusOr<CategoryName> ParseCategoryName(absl::string_view field,
                                               absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "spaces", "categories"});
  if (!parts.ok()) return parts.status();
  return CategoryName{(*parts)[0], (*parts)[1], (*parts)[2]};
}

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

absl::Status ValidateSpaceFields(const v1::Space& space,
                                 const std::set<std::string>& paths) {
  if (paths.contains("display_name")) {
    if (absl::Status s = ValidateLocalizedText("space.display_name",
                                               space.display_name(), 1, 100);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("description")) {
    if (absl::Status s = ValidateLocalizedText("space.description",
                                               space.description(), 0, 2000);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("moderation_mode") &&
      !common::ModerationMode_IsValid(space.moderation_mode())) {
    return Invalid("space.moderation_mode", "unknown mode");
  }
  if (paths.contains("evaluation_mode") &&
      !common::EvaluationMode_IsValid(space.evaluation_mode())) {
    return Invalid("space.evaluation_mode", "unknown mode");
  }
  if (paths.contains("display_order") &&
      (space.display_order() < 0 || space.display_order() > 10000)) {
    return Invalid("space.display_order", "must be 0-10000");
  }
  if (paths.contains("state") && !v1::Space::State_IsValid(space.state())) {
    return Invalid("space.state", "unknown state");
  }
  return absl::OkStatus();
}

absl::Status ValidateCategoryFields(const v1::Category& category,
                                    const std::set<std::string>& paths) {
  if (paths.contains("display_name")) {
    if (absl::Status s = ValidateLocalizedText("category.display_name",
                                               category.display_name(), 1, 100);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("description")) {
    if (absl::Status s = ValidateLocalizedText("category.description",
                                               category.description(), 0, 1000);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("display_order") &&
      (category.display_order() < 0 || category.display_order() > 10000)) {
    return Invalid("category.display_order", "must be 0-10000");
  }
  if (paths.contains("state") &&
      !v1::Category::State_IsValid(category.state())) {
    return Invalid("category.state", "unknown state");
  }
  return absl::OkStatus();
}

// "order/id" positions of (display_order, id) keyset pages.
std::string OrderPosition(int order, const std::string& name) {
  return absl::StrCat(order, "/", name.substr(name.rfind('/') + 1));
}

absl::StatusOr<std::optional<std::pair<int, std::string>>> DecodeOrderPosition(
    const std::string& token) {
  absl::StatusOr<std::string> position = api::DecodePageToken(token);
  if (!position.ok()) return position.status();
  if (position->empty()) return std::nullopt;
  std::pair<std::string, std::string> parts =
      absl::StrSplit(*position, absl::MaxSplits('/', 1));
  int order = 0;
  if (!absl::SimpleAtoi(parts.first, &order) || parts.second.empty()) {
    return absl::InvalidArgumentError("page_token: invalid");
  }
  return std::make_pair(order, parts.second);
}

idempotency::IdempotencyKey KeyFor(const std::string& tenant,
                                   absl::string_view method,
                                   const std::string& request_id,
                                   const auth::Principal& caller) {
  return {tenant, std::string(method), request_id, api::PrincipalName(caller)};
}

}  // namespace

absl::StatusOr<v1::Space> CreateSpace(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::CreateSpaceRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          api::RequireTenantRole(caller, *tenant, {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (absl::Status s = api::ValidateId("space_id", request.space_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  v1::Space space = request.space();
  if (space.kind() == v1::SPACE_KIND_UNSPECIFIED ||
      !v1::SpaceKind_IsValid(space.kind())) {
    return Invalid("space.kind", "required");
  }
  if (space.state() == v1::Space::STATE_UNSPECIFIED) {
    space.set_state(v1::Space::STATE_ACTIVE);
  }
  const std::set<std::string> all(std::begin(kSpaceFields),
                                  std::end(kSpaceFields));
  if (absl::Status s = ValidateSpaceFields(space, all); !s.ok()) return s;
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const auto key = KeyFor(*tenant, "CreateSpace", request.request_id(), caller);
  v1::Space created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, created)) {
          return absl::OkStatus();
        }
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) return s;
        if (!InsertSpace(tx, *tenant, request.space_id(), space)) {
          return absl::AlreadyExistsError(absl::StrCat(
              "space_id: ", SpaceResourceName(*tenant, request.space_id()),
              " already exists"));
        }
        created = *FindSpace(tx, *tenant, request.space_id());
        idempotency::SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Space> GetSpace(ContentContext& context,
                                   const auth::Principal* caller,
                                   const v1::GetSpaceRequest& request) {
  absl::StatusOr<SpaceName> name = ParseSpaceName("name", request.name());
  if (!name.ok()) return name.status();
  std::optional<v1::Space> space;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        space = FindSpace(tx, name->tenant, name->space);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!space.has_value() || (space->state() == v1::Space::STATE_HIDDEN &&
                             !IsTenantAdmin(caller, name->tenant))) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return *space;
}

absl::StatusOr<v1::ListSpacesResponse> ListSpaces(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListSpacesRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  if (!v1::SpaceKind_IsValid(request.kind())) {
    return Invalid("kind", "unknown space kind");
  }
  auto after = DecodeOrderPosition(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListSpacesResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::vector<v1::Space> spaces =
            ListSpaceRows(tx, *tenant, request.kind(),
                          IsTenantAdmin(caller, *tenant), *after, *size + 1);
        response.Clear();
        for (size_t i = 0; i < spaces.size() && i < size_t(*size); ++i) {
          *response.add_spaces() = std::move(spaces[i]);
        }
        if (spaces.size() > size_t(*size)) {
          const v1::Space& last = response.spaces(*size - 1);
          response.set_next_page_token(api::EncodePageToken(
              OrderPosition(last.display_order(), last.name())));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Space> UpdateSpace(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::UpdateSpaceRequest& request) {
  absl::StatusOr<SpaceName> name =
      ParseSpaceName("space.name", request.space().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kSpaceFields, "Space");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidateSpaceFields(request.space(), *paths); !s.ok()) {
    return s;
  }
  if (paths->contains("state") &&
      request.space().state() == v1::Space::STATE_UNSPECIFIED) {
    return Invalid("space.state", "required");
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const auto key =
      KeyFor(name->tenant, "UpdateSpace", request.request_id(), caller);
  v1::Space updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        std::optional<v1::Space> current =
            FindSpace(tx, name->tenant, name->space, /*lock=*/true);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.space().name(), " not found"));
        }
        if (!request.space().etag().empty() &&
            request.space().etag() != current->etag()) {
          return api::EtagMismatch("space.etag", "the space");
        }
        const v1::Space& from = request.space();
        if (paths->contains("display_name")) {
          *current->mutable_display_name() = from.display_name();
        }
        if (paths->contains("description")) {
          *current->mutable_description() = from.description();
        }
        if (paths->contains("moderation_mode")) {
          current->set_moderation_mode(from.moderation_mode());
        }
        if (paths->contains("evaluation_mode")) {
          current->set_evaluation_mode(from.evaluation_mode());
        }
        if (paths->contains("display_order")) {
          current->set_display_order(from.display_order());
        }
        if (paths->contains("state")) current->set_state(from.state());
        UpdateSpaceRow(tx, name->tenant, name->space, *current);
        updated = *FindSpace(tx, name->tenant, name->space);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<google::protobuf::Empty> DeleteSpace(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteSpaceRequest& request) {
  absl::StatusOr<SpaceName> name = ParseSpaceName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Space> current =
            FindSpace(tx, name->tenant, name->space, /*lock=*/true);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!request.etag().empty() && request.etag() != current->etag()) {
          return api::EtagMismatch("etag", "the space");
        }
        if (!SpaceIsEmpty(tx, name->tenant, name->space)) {
          return absl::FailedPreconditionError(
              "name: the space has posts or categories; archive it instead");
        }
        DeleteSpaceRow(tx, name->tenant, name->space);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return google::protobuf::Empty();
}

absl::StatusOr<v1::Category> CreateCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateCategoryRequest& request) {
  absl::StatusOr<SpaceName> space = ParseSpaceName("parent", request.parent());
  if (!space.ok()) return space.status();
  if (absl::Status s = api::RequireTenantRole(caller, space->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          api::ValidateId("category_id", request.category_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  v1::Category category = request.category();
  if (category.state() == v1::Category::STATE_UNSPECIFIED) {
    category.set_state(v1::Category::STATE_ACTIVE);
  }
  const std::set<std::string> all(std::begin(kCategoryFields),
                                  std::end(kCategoryFields));
  if (absl::Status s = ValidateCategoryFields(category, all); !s.ok()) return s;
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const auto key =
      KeyFor(space->tenant, "CreateCategory", request.request_id(), caller);
  v1::Category created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, created)) {
          return absl::OkStatus();
        }
        if (!FindSpace(tx, space->tenant, space->space).has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.parent(), " not found"));
        }
        if (!InsertCategory(tx, space->tenant, space->space,
                            request.category_id(), category)) {
          return absl::AlreadyExistsError(
              absl::StrCat("category_id: ",
                           CategoryResourceName(space->tenant, space->space,
                                                request.category_id()),
                           " already exists"));
        }
        created = *FindCategory(tx, space->tenant, space->space,
                                request.category_id());
        idempotency::SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Category> GetCategory(
    ContentContext& context, const auth::Principal* caller,
    const v1::GetCategoryRequest& request) {
  absl::StatusOr<CategoryName> name = ParseCategoryName("name", request.name());
  if (!name.ok()) return name.status();
  std::optional<v1::Category> category;
  bool space_hidden = false;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Space> space =
            FindSpace(tx, name->tenant, name->space);
        space_hidden =
            space.has_value() && space->state() == v1::Space::STATE_HIDDEN;
        category = FindCategory(tx, name->tenant, name->space, name->category);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!category.has_value() ||
      (space_hidden && !IsTenantAdmin(caller, name->tenant))) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return *category;
}

absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListCategoriesRequest& request) {
  absl::StatusOr<SpaceName> space = ParseSpaceName("parent", request.parent());
  if (!space.ok()) return space.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size(), 50, 200);
  if (!size.ok()) return size.status();
  auto after = DecodeOrderPosition(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListCategoriesResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Space> found =
            FindSpace(tx, space->tenant, space->space);
        if (!found.has_value() || (found->state() == v1::Space::STATE_HIDDEN &&
                                   !IsTenantAdmin(caller, space->tenant))) {
          return absl::NotFoundError(
              absl::StrCat(request.parent(), " not found"));
        }
        std::vector<v1::Category> categories =
            ListCategoryRows(tx, space->tenant, space->space,
                             request.show_archived(), *after, *size + 1);
        response.Clear();
        for (size_t i = 0; i < categories.size() && i < size_t(*size); ++i) {
          *response.add_categories() = std::move(categories[i]);
        }
        if (categories.size() > size_t(*size)) {
          const v1::Category& last = response.categories(*size - 1);
          response.set_next_page_token(api::EncodePageToken(
              OrderPosition(last.display_order(), last.name())));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Category> UpdateCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateCategoryRequest& request) {
  absl::StatusOr<CategoryName> name =
      ParseCategoryName("category.name", request.category().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kCategoryFields, "Category");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidateCategoryFields(request.category(), *paths);
      !s.ok()) {
    return s;
  }
  if (paths->contains("state") &&
      request.category().state() == v1::Category::STATE_UNSPECIFIED) {
    return Invalid("category.state", "required");
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const auto key =
      KeyFor(name->tenant, "UpdateCategory", request.request_id(), caller);
  v1::Category updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        std::optional<v1::Category> current = FindCategory(
            tx, name->tenant, name->space, name->category, /*lock=*/true);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.category().name(), " not found"));
        }
        if (!request.category().etag().empty() &&
            request.category().etag() != current->etag()) {
          return api::EtagMismatch("category.etag", "the category");
        }
        const v1::Category& from = request.category();
        if (paths->contains("display_name")) {
          *current->mutable_display_name() = from.display_name();
        }
        if (paths->contains("description")) {
          *current->mutable_description() = from.description();
        }
        if (paths->contains("display_order")) {
          current->set_display_order(from.display_order());
        }
        if (paths->contains("state")) current->set_state(from.state());
        UpdateCategoryRow(tx, name->tenant, name->space, name->category,
                          *current);
        updated = *FindCategory(tx, name->tenant, name->space, name->category);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<google::protobuf::Empty> DeleteCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteCategoryRequest& request) {
  absl::StatusOr<CategoryName> name = ParseCategoryName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Category> current = FindCategory(
            tx, name->tenant, name->space, name->category, /*lock=*/true);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!request.etag().empty() && request.etag() != current->etag()) {
          return api::EtagMismatch("etag", "the category");
        }
        if (!CategoryIsEmpty(tx, name->tenant, name->space, name->category)) {
          return absl::FailedPreconditionError(
              "name: the category has posts; archive it instead");
        }
        DeleteCategoryRow(tx, name->tenant, name->space, name->category);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return google::protobuf::Empty();
}

}  // namespace agora::content
