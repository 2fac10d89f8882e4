// Where a JwtVerifier gets the public keys it trusts. Implementations must be
// thread-safe: one source serves every gRPC thread of a process.
#ifndef AGORA_LIBS_AUTH_KEY_SOURCE_H_
#define AGORA_LIBS_AUTH_KEY_SOURCE_H_

#include <memory>

#include "absl/status/status.h"
#include "libs/auth/key_set.h"

namespace agora::auth {

class KeySource {
 public:
  virtual ~KeySource() = default;

  // The current keys. Never null. The snapshot stays valid (and unchanged)
  // for as long as the caller holds it, whatever Refresh does meanwhile.
  virtual std::shared_ptr<const KeySet> Keys() const = 0;

  // Re-reads the keys from where they come from, because a token named a kid
  // the current set lacks (typically after a key rotation). On failure the
  // previous keys stay in place. Callers rate-limit: a source need not.
  virtual absl::Status Refresh() = 0;
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_KEY_SOURCE_H_
