#include "services/content/domain/products.h"

#include <google/protobuf/util/time_util.h>

#include <pqxx/pqxx>
#include <set>

#include "absl/strings/str_cat.h"
#include "libs/api/caller.h"
#include "libs/api/paging.h"
#include "libs/api/resource_names.h"
#include "libs/api/text_rules.h"
#include "libs/api/update_mask.h"
#include "libs/auth/roles.h"
#include "libs/idempotency/idempotency.h"
#include "libs/pg/transaction.h"
#include "services/content/domain/content_settings.h"
#include "services/content/domain/localized_text.h"
#include "services/content/repository/catalog_store.h"

namespace agora::content {
namespace {

using google::protobuf::util::TimeUtil;

constexpr absl::string_view kProductFields[] = {"display_name", "description",
                                                "uri", "image_uri", "state"};
// The weight of the tenant-wide mean in a product's Bayesian rating: as if
// every product started with five average reviews.
constexpr double kPriorReviews = 5;

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

struct ProductName {
  std::string tenant;
  std::string product;
};

absl::StatusOr<ProductName> ParseProductName(absl::string_view field,
                                             absl::string_view name) {
  absl::StatusOr<std::vector<std::string>> parts =
      api::ParseName(field, name, {"tenants", "products"});
  if (!parts.ok()) return parts.status();
  return ProductName{(*parts)[0], (*parts)[1]};
}

absl::Status ValidateProduct(const v1::Product& product,
                             const std::set<std::string>& paths) {
  if (paths.contains("display_name")) {
    if (absl::Status s = ValidateLocalizedText("product.display_name",
                                               product.display_name(), 1, 100);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("description")) {
    if (absl::Status s = ValidateLocalizedText("product.description",
                                               product.description(), 0, 2000);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("uri")) {
    if (absl::Status s = api::ValidateHttpsUrl("product.uri", product.uri(),
                                               2048, /*optional=*/true);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("image_uri")) {
    if (absl::Status s = api::ValidateHttpsUrl(
            "product.image_uri", product.image_uri(), 2048, /*optional=*/true);
        !s.ok()) {
      return s;
    }
  }
  if (paths.contains("state") &&
      (product.state() == v1::Product::STATE_UNSPECIFIED ||
       !v1::Product::State_IsValid(product.state()))) {
    return Invalid("product.state", "must be ACTIVE or WITHDRAWN");
  }
  return absl::OkStatus();
}

// What is stored in the data column: the product without what columns or
// reviews say.
std::string DataOf(v1::Product product) {
  product.clear_name();
  product.clear_state();
  product.clear_rating_summary();
  product.clear_create_time();
  product.clear_update_time();
  product.clear_etag();
  return product.SerializeAsString();
}

// The tenant's mean rating over every published review (the prior), and
// each product's ratings.
void AddRatingSummaries(pqxx::transaction_base& tx, const std::string& tenant,
                        std::vector<v1::Product>& products) {
  const pqxx::result prior = tx.exec_params(
      "SELECT coalesce(avg(rating), 3)::float8 FROM posts WHERE tenant = $1"
      " AND kind = 6 AND state = 2",
      tenant);
  const double prior_mean = prior[0][0].as<double>();
  for (v1::Product& product : products) {
    const std::string id = product.name().substr(product.name().rfind('/') + 1);
    const pqxx::result rows = tx.exec_params(
        "SELECT rating, count(*), count(*) FILTER (WHERE verified_customer)"
        " FROM posts WHERE tenant = $1 AND kind = 6 AND state = 2 AND"
        " product = $2 GROUP BY rating",
        tenant, id);
    v1::RatingSummary& summary = *product.mutable_rating_summary();
    std::vector<int64_t> histogram(5, 0);
    int64_t count = 0;
    int64_t sum = 0;
    int64_t verified = 0;
    for (const pqxx::row& row : rows) {
      const int rating = row[0].as<int>();
      const int64_t n = row[1].as<int64_t>();
      if (rating < 1 || rating > 5) continue;
      histogram[rating - 1] += n;
      count += n;
      sum += n * rating;
      verified += row[2].as<int64_t>();
    }
    summary.set_review_count(count);
    summary.set_average_rating(count == 0 ? 0 : double(sum) / count);
    summary.set_bayesian_rating(
        BayesianRating(count, sum, prior_mean, kPriorReviews));
    for (int64_t n : histogram) summary.add_histogram(n);
    summary.set_verified_customer_count(verified);
  }
}

std::vector<v1::Product> LoadProducts(pqxx::transaction_base& tx,
                                      const std::string& tenant,
                                      const std::string& after,
                                      bool show_withdrawn, int limit,
                                      const std::string& only_id = "") {
  const pqxx::result rows = tx.exec_params(
      "SELECT id, data, state, version,"
      " (extract(epoch FROM create_time) * 1000000)::bigint,"
      " (extract(epoch FROM update_time) * 1000000)::bigint"
      " FROM products WHERE tenant = $1 AND id > $2 AND ($3 OR state = 1)"
      " AND ($5 = '' OR id = $5) ORDER BY id LIMIT $4",
      tenant, after, show_withdrawn, limit, only_id);
  std::vector<v1::Product> products;
  for (const pqxx::row& row : rows) {
    v1::Product& product = products.emplace_back();
    product.ParseFromString(pqxx::binarystring(row[1]).str());
    product.set_name(absl::StrCat("tenants/", tenant, "/products/",
                                  row[0].as<std::string>()));
    product.set_state(static_cast<v1::Product::State>(row[2].as<int>()));
    product.set_etag(api::EtagOf(row[3].as<int64_t>()));
    *product.mutable_create_time() =
        TimeUtil::MicrosecondsToTimestamp(row[4].as<int64_t>());
    *product.mutable_update_time() =
        TimeUtil::MicrosecondsToTimestamp(row[5].as<int64_t>());
  }
  return products;
}

std::optional<v1::Product> LoadProduct(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& id) {
  std::vector<v1::Product> products =
      LoadProducts(tx, tenant, "", /*show_withdrawn=*/true, 1, id);
  if (products.empty()) return std::nullopt;
  AddRatingSummaries(tx, tenant, products);
  return products[0];
}

}  // namespace

double BayesianRating(int64_t count, int64_t sum, double prior_mean,
                      double prior_count) {
  if (count == 0) return 0;
  return (prior_mean * prior_count + double(sum)) / (prior_count + count);
}

absl::StatusOr<v1::Product> CreateProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::CreateProductRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  if (absl::Status s =
          api::RequireTenantRole(caller, *tenant, {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          api::ValidateId("product_id", request.product_id(), 2, 63);
      !s.ok()) {
    return s;
  }
  v1::Product product = request.product();
  if (product.state() == v1::Product::STATE_UNSPECIFIED) {
    product.set_state(v1::Product::STATE_ACTIVE);
  }
  const std::set<std::string> all(std::begin(kProductFields),
                                  std::end(kProductFields));
  if (absl::Status s = ValidateProduct(product, all); !s.ok()) return s;
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{*tenant, "CreateProduct",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  v1::Product created;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, created)) {
          return absl::OkStatus();
        }
        if (absl::Status s = RequireKnownTenant(tx, *tenant); !s.ok()) return s;
        const pqxx::binarystring data(DataOf(product));
        if (tx.exec_params("INSERT INTO products (tenant, id, state, data)"
                           " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING"
                           " RETURNING 1",
                           *tenant, request.product_id(),
                           static_cast<int>(product.state()), data)
                .empty()) {
          return absl::AlreadyExistsError(
              absl::StrCat("product_id: tenants/", *tenant, "/products/",
                           request.product_id(), " already exists"));
        }
        created = *LoadProduct(tx, *tenant, request.product_id());
        idempotency::SaveResponse(tx, key, created);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return created;
}

absl::StatusOr<v1::Product> GetProduct(ContentContext& context,
                                       const auth::Principal*,
                                       const v1::GetProductRequest& request) {
  absl::StatusOr<ProductName> name = ParseProductName("name", request.name());
  if (!name.ok()) return name.status();
  std::optional<v1::Product> product;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        product = LoadProduct(tx, name->tenant, name->product);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!product.has_value()) {
    return absl::NotFoundError(absl::StrCat(request.name(), " not found"));
  }
  return *product;
}

absl::StatusOr<v1::ListProductsResponse> ListProducts(
    ContentContext& context, const auth::Principal*,
    const v1::ListProductsRequest& request) {
  absl::StatusOr<std::string> tenant =
      api::ParseTenantName("parent", request.parent());
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<int> size = api::PageSize(request.page_size());
  if (!size.ok()) return size.status();
  absl::StatusOr<std::string> after =
      api::DecodePageToken(request.page_token());
  if (!after.ok()) return after.status();
  v1::ListProductsResponse response;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::vector<v1::Product> products = LoadProducts(
            tx, *tenant, *after, request.show_withdrawn(), *size + 1);
        const bool more = products.size() > size_t(*size);
        if (more) products.resize(*size);
        AddRatingSummaries(tx, *tenant, products);
        response.Clear();
        for (v1::Product& product : products) {
          *response.add_products() = std::move(product);
        }
        if (more) {
          const std::string& last = response.products(*size - 1).name();
          response.set_next_page_token(
              api::EncodePageToken(last.substr(last.rfind('/') + 1)));
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return response;
}

absl::StatusOr<v1::Product> UpdateProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::UpdateProductRequest& request) {
  absl::StatusOr<ProductName> name =
      ParseProductName("product.name", request.product().name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::StatusOr<std::set<std::string>> paths =
      api::MaskPaths(request.update_mask(), kProductFields, "Product");
  if (!paths.ok()) return paths.status();
  if (absl::Status s = ValidateProduct(request.product(), *paths); !s.ok()) {
    return s;
  }
  if (absl::Status s = idempotency::ValidateRequestId(request.request_id());
      !s.ok()) {
    return s;
  }
  const idempotency::IdempotencyKey key{name->tenant, "UpdateProduct",
                                        request.request_id(),
                                        api::PrincipalName(caller)};
  v1::Product updated;
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        if (idempotency::FindSavedResponse(tx, key, updated)) {
          return absl::OkStatus();
        }
        tx.exec_params(
            "SELECT 1 FROM products WHERE tenant = $1 AND id = $2 FOR UPDATE",
            name->tenant, name->product);
        std::optional<v1::Product> current =
            FindProduct(tx, name->tenant, name->product);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.product().name(), " not found"));
        }
        if (!request.product().etag().empty() &&
            request.product().etag() != current->etag()) {
          return api::EtagMismatch("product.etag", "the product");
        }
        const v1::Product& from = request.product();
        if (paths->contains("display_name")) {
          *current->mutable_display_name() = from.display_name();
        }
        if (paths->contains("description")) {
          *current->mutable_description() = from.description();
        }
        if (paths->contains("uri")) current->set_uri(from.uri());
        if (paths->contains("image_uri")) {
          current->set_image_uri(from.image_uri());
        }
        if (paths->contains("state")) current->set_state(from.state());
        const pqxx::binarystring data(DataOf(*current));
        tx.exec_params(
            "UPDATE products SET data = $3, state = $4, version = version + 1,"
            " update_time = now() WHERE tenant = $1 AND id = $2",
            name->tenant, name->product, data,
            static_cast<int>(current->state()));
        updated = *LoadProduct(tx, name->tenant, name->product);
        idempotency::SaveResponse(tx, key, updated);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return updated;
}

absl::StatusOr<google::protobuf::Empty> DeleteProduct(
    ContentContext& context, const auth::Principal& caller,
    const v1::DeleteProductRequest& request) {
  absl::StatusOr<ProductName> name = ParseProductName("name", request.name());
  if (!name.ok()) return name.status();
  if (absl::Status s = api::RequireTenantRole(caller, name->tenant,
                                              {auth::kRoleTenantAdmin});
      !s.ok()) {
    return s;
  }
  absl::Status status =
      pg::RunTransaction(context.pool, [&](pqxx::transaction_base& tx) {
        std::optional<v1::Product> current =
            FindProduct(tx, name->tenant, name->product);
        if (!current.has_value()) {
          return absl::NotFoundError(
              absl::StrCat(request.name(), " not found"));
        }
        if (!request.etag().empty() && request.etag() != current->etag()) {
          return api::EtagMismatch("etag", "the product");
        }
        if (!tx.exec_params("SELECT 1 FROM posts WHERE tenant = $1 AND"
                            " kind = 6 AND product = $2 LIMIT 1",
                            name->tenant, name->product)
                 .empty()) {
          return absl::FailedPreconditionError(
              "name: the product has reviews; withdraw it instead");
        }
        tx.exec_params("DELETE FROM products WHERE tenant = $1 AND id = $2",
                       name->tenant, name->product);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return google::protobuf::Empty();
}

}  // namespace agora::content
