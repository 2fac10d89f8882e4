// The visitor-hash key kept in PostgreSQL when no secret is configured.
#ifndef AGORA_SERVICES_SHARE_REPOSITORY_SECRET_STORE_H_
#define AGORA_SERVICES_SHARE_REPOSITORY_SECRET_STORE_H_

#include <pqxx/pqxx>
#include <string>

namespace agora::share {

// The stored key; `candidate` becomes it when there is none yet (the first
// replica to start wins, the others read its key).
std::string LoadOrCreateVisitorSecret(pqxx::transaction_base& tx,
                                      const std::string& candidate);

}  // namespace agora::share

#endif  // AGORA_SERVICES_SHARE_REPOSITORY_SECRET_STORE_H_
