// Reading appeals (table appeals) into the contract's Appeal.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_APPEAL_STORE_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_APPEAL_STORE_H_

#include <optional>
#include <pqxx/row>
#include <pqxx/transaction_base>
#include <string>

#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

// "SELECT <every column AppealFromRow reads> FROM appeals"; append the WHERE.
extern const char kAppealSelect[];

agora::moderation::v1::Appeal AppealFromRow(const std::string& tenant,
                                            const pqxx::row& row);

// The appeal, or nullopt; with `for_update` the row stays locked until the
// transaction ends.
std::optional<agora::moderation::v1::Appeal> FindAppeal(
    pqxx::transaction_base& tx, const std::string& tenant,
    const std::string& id, bool for_update);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_APPEAL_STORE_H_
