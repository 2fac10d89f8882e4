#include "libs/auth/static_key_source.h"

#include <utility>

namespace agora::auth {

StaticKeySource::StaticKeySource(KeySet keys)
    : keys_(std::make_shared<const KeySet>(std::move(keys))) {}

}  // namespace agora::auth
