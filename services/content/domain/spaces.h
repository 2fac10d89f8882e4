// Spaces (forum, idea lab, questions, blog, reviews, contests) and their
// categories: managed by tenant admins, read by everyone (hidden spaces by
// tenant admins only).
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_SPACES_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_SPACES_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "google/protobuf/empty.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::StatusOr<v1::Space> CreateSpace(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::CreateSpaceRequest& request);
absl::StatusOr<v1::Space> GetSpace(ContentContext& context,
                                   const auth::Principal* caller,
                                   const v1::GetSpaceRequest& request);
absl::StatusOr<v1::ListSpacesResponse> ListSpaces(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListSpacesRequest& request);
absl::StatusOr<v1::Space> UpdateSpace(ContentContext& context,
                                      const auth::Principal& caller,
                                      const v1::UpdateSpaceRequest& request);
absl::StatusOr<google::protobuf::Empty> DeleteSpace(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteSpaceRequest& request);

absl::StatusOr<v1::Category> CreateCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateCategoryRequest& request);
absl::StatusOr<v1::Category> GetCategory(ContentContext& context,
                                         const auth::Principal* caller,
                                         const v1::GetCategoryRequest& request);
absl::StatusOr<v1::ListCategoriesResponse> ListCategories(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListCategoriesRequest& request);
absl::StatusOr<v1::Category> UpdateCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateCategoryRequest& request);
absl::StatusOr<google::protobuf::Empty> DeleteCategory(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteCategoryRequest& request);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_SPACES_H_
