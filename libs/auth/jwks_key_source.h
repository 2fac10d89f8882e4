// A KeySource that reads a JWKS document through a fetch function: services
// and the gateway pass one that calls identity's GetJwks RPC (or its HTTP
// endpoint); the transport is theirs. Starts empty: the first token, or an
// explicit Refresh() at start-up, triggers the first fetch.
#ifndef AGORA_LIBS_AUTH_JWKS_KEY_SOURCE_H_
#define AGORA_LIBS_AUTH_JWKS_KEY_SOURCE_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "libs/auth/key_source.h"

namespace agora::auth {

class JwksKeySource final : public KeySource {
 public:
  // Returns the JWKS JSON, or the status of the failed fetch. Called from
  // whichever thread refreshes, never under this source's lock; it should
  // carry its own deadline, since the verifying call waits for it.
  using FetchJwks = std::function<absl::StatusOr<std::string>()>;

  explicit JwksKeySource(FetchJwks fetch);

  std::shared_ptr<const KeySet> Keys() const override
      ABSL_LOCKS_EXCLUDED(mutex_);

  // Fetches and parses the document, then replaces the keys with it, so a
  // key identity stopped publishing is dropped. A failed fetch keeps the
  // status of the fetch; an invalid document INVALID_ARGUMENT. Either way
  // the previous keys stay.
  absl::Status Refresh() override ABSL_LOCKS_EXCLUDED(mutex_);

 private:
  const FetchJwks fetch_;
  mutable absl::Mutex mutex_;
  std::shared_ptr<const KeySet> keys_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace agora::auth

#endif  // AGORA_LIBS_AUTH_JWKS_KEY_SOURCE_H_
