#include "libs/auth/jwks_key_source.h"

#include <utility>

#include "libs/auth/jwks.h"

namespace agora::auth {

JwksKeySource::JwksKeySource(FetchJwks fetch)
    : fetch_(std::move(fetch)), keys_(std::make_shared<const KeySet>()) {}

std::shared_ptr<const KeySet> JwksKeySource::Keys() const {
  absl::MutexLock lock(&mutex_);
  return keys_;
}

absl::Status JwksKeySource::Refresh() {
  if (!fetch_) return absl::FailedPreconditionError("no JWKS fetch function");
  absl::StatusOr<std::string> document = fetch_();
  if (!document.ok()) return document.status();
  absl::StatusOr<KeySet> keys = ParseJwks(*document);
  if (!keys.ok()) return keys.status();
  auto snapshot = std::make_shared<const KeySet>(*std::move(keys));
  absl::MutexLock lock(&mutex_);
  keys_ = std::move(snapshot);
  return absl::OkStatus();
}

}  // namespace agora::auth
