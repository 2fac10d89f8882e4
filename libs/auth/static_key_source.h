// A KeySource with fixed keys: identity verifying its own tokens, and tests.
#ifndef AGORA_LIBS_AUTH_STATIC_KEY_SOURCE_H_
#define AGORA_LIBS_AUTH_STATIC_KEY_SOURCE_H_

#include <memory>

#include "libs/auth/key_source.h"

namespace agora::auth {

class StaticKeySource final : public KeySource {
 public:
  explicit StaticKeySource(KeySet keys);

  std::shared_ptr<const KeySet> Keys() const override { return keys_; }

  // Nothing to re-read: OK, and the keys stay as they are.
  absl::Status Refresh() override { return absl::OkStatus(); }

 private:
  const std::shared_ptr<const KeySet> keys_;
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_STATIC_KEY_SOURCE_H_
