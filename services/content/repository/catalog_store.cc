#include "services/content/repository/catalog_store.h"

#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "libs/api/update_mask.h"

namespace agora::content {

std::optional<v1::Product> FindProduct(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& id) {
  const pqxx::result rows = tx.exec_params(
      "SELECT data, state, version FROM products WHERE tenant = $1 AND id = $2",
      tenant, id);
  if (rows.empty()) return std::nullopt;
  v1::Product product;
  product.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  product.set_name(absl::StrCat("tenants/", tenant, "/products/", id));
  product.set_state(static_cast<v1::Product::State>(rows[0][1].as<int>()));
  product.set_etag(api::EtagOf(rows[0][2].as<int64_t>()));
  return product;
}

std::optional<v1::Contest> FindContest(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& id) {
  const pqxx::result rows = tx.exec_params(
      "SELECT data, state, version FROM contests WHERE tenant = $1 AND id = $2",
      tenant, id);
  if (rows.empty()) return std::nullopt;
  v1::Contest contest;
  contest.ParseFromString(pqxx::binarystring(rows[0][0]).str());
  contest.set_name(absl::StrCat("tenants/", tenant, "/contests/", id));
  contest.set_state(static_cast<v1::Contest::State>(rows[0][1].as<int>()));
  contest.set_etag(api::EtagOf(rows[0][2].as<int64_t>()));
  return contest;
}

}  // namespace agora::content
