// Products (the review catalogue) and contests in PostgreSQL, as posts
// need them: reviews name an active product, contest entries an open round.
#ifndef AGORA_SERVICES_CONTENT_REPOSITORY_CATALOG_STORE_H_
#define AGORA_SERVICES_CONTENT_REPOSITORY_CATALOG_STORE_H_

#include <optional>
#include <pqxx/transaction_base>
#include <string>

#include "agora/content/v1/content.pb.h"

namespace agora::content {

// The product without its rating summary.
std::optional<v1::Product> FindProduct(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& id);

// The contest as stored (rounds included, phases not computed).
std::optional<v1::Contest> FindContest(pqxx::transaction_base& tx,
                                       const std::string& tenant,
                                       const std::string& id);

}  // namespace agora::content

#endif  // AGORA_SERVICES_CONTENT_REPOSITORY_CATALOG_STORE_H_
