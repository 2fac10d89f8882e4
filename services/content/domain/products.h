// The tenant's review catalogue: tenant admins add, update, withdraw and
// delete products; everyone reads them with the rating summary of their
// published reviews.
#ifndef AGORA_SERVICES_CONTENT_DOMAIN_PRODUCTS_H_
#define AGORA_SERVICES_CONTENT_DOMAIN_PRODUCTS_H_

#include "absl/status/statusor.h"
#include "agora/content/v1/content.pb.h"
#include "google/protobuf/empty.pb.h"
#include "libs/auth/principal.h"
#include "services/content/domain/content_context.h"

namespace agora::content {

absl::StatusOr<v1::Product> CreateProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateProductRequest& request);
absl::StatusOr<v1::Product> GetProduct(ContentContext& context,
                                       const auth::Principal* caller,
                                       const v1::GetProductRequest& request);
absl::StatusOr<v1::ListProductsResponse> ListProducts(
    ContentContext& context, const auth::Principal* caller,
    const v1::ListProductsRequest& request);
absl::StatusOr<v1::Product> UpdateProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateProductRequest& request);
absl::StatusOr<google::protobuf::Empty> DeleteProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteProductRequest& request);

// Bayesian average of `count` ratings summing to `sum`, pulled toward
// `prior_mean` with the weight of `prior_count` ratings (0 without
// ratings).
double BayesianRating(int64_t count, int64_t sum, double prior_mean,
                      double prior_count);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_DOMAIN_PRODUCTS_H_
