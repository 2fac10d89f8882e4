// Reading community flags (table flags) into the contract's Flag.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_FLAG_STORE_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_FLAG_STORE_H_

#include <pqxx/row>
#include <string>

#include "agora/moderation/v1/moderation.pb.h"

namespace agora::moderation {

// "SELECT <every column FlagFromRow reads> FROM flags"; append the WHERE.
extern const char kFlagSelect[];

agora::moderation::v1::Flag FlagFromRow(const std::string& tenant,
                                        const pqxx::row& row);

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_FLAG_STORE_H_
