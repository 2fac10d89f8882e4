#include "libs/auth/key_set.h"

namespace agora::auth {

absl::Status KeySet::Add(absl::string_view kid, const Ed25519PublicKey& key) {
  if (kid.empty() || kid.size() > kMaxKeyIdBytes) {
    return absl::InvalidArgumentError("key id must be 1-128 characters");
  }
  if (!keys_.try_emplace(std::string(kid), key).second) {
    return absl::InvalidArgumentError("duplicate key id");
  }
  return absl::OkStatus();
}

absl::Status KeySet::Add(const Ed25519PublicKey& key) {
  return Add(key.Thumbprint(), key);
}

const Ed25519PublicKey* KeySet::Find(absl::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

}  // namespace agora::auth
