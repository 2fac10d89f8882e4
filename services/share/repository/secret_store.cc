#include "services/share/repository/secret_store.h"

namespace agora::share {

std::string LoadOrCreateVisitorSecret(pqxx::transaction_base& tx,
                                      const std::string& candidate) {
  tx.exec_params(
      "INSERT INTO visitor_secret (secret) VALUES ($1) ON CONFLICT DO NOTHING",
      pqxx::binarystring(candidate));
  return pqxx::binarystring(tx.exec("SELECT secret FROM visitor_secret")[0][0])
      .str();
}

}  // namespace agora::share
