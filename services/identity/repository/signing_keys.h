// The Ed25519 keys identity signs access tokens with, kept in PostgreSQL
// (sealed, key_sealing.h) so that every replica signs with the same current
// key and publishes the same JWKS.
//
// Rotation (`agora-identity keys rotate`, or Rotate()): a new key becomes
// current and the previous one is retired. A retired key stays published
// for `publish_after_retire` (the access-token lifetime plus the reload
// interval plus clock leeway) so that every token it signed, including the
// ones other replicas signed before they reloaded, keeps verifying until it
// expires; verifiers meeting the new kid refresh their keys on their own.
//
// Also a KeySource, so identity verifies its own tokens with the same set.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_SIGNING_KEYS_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_SIGNING_KEYS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "libs/auth/claims.h"
#include "libs/auth/jwt_signer.h"
#include "libs/auth/key_set.h"
#include "libs/auth/key_source.h"
#include "libs/pg/pool.h"
#include "services/identity/repository/key_sealing.h"

namespace agora::identity {

struct SigningKeysOptions {
  absl::Duration publish_after_retire = absl::Minutes(20);
  // How stale the in-process copy may get before Sign reloads it.
  absl::Duration reload_interval = absl::Seconds(60);
  std::function<absl::Time()> clock;  // absl::Now when empty
};

class SigningKeys final : public auth::KeySource {
 public:
  SigningKeys(pg::ConnectionPool& pool, KeySealer sealer,
              SigningKeysOptions options = {});

  // Loads the keys, creating the first one when none is current (two
  // replicas starting at once create one between them).
  absl::Status Load();

  // Makes a new key current and retires the previous one.
  absl::Status Rotate();

  // `claims` signed with the current key.
  absl::StatusOr<std::string> Sign(const auth::Claims& claims);

  // kid of the current key.
  std::string CurrentKeyId() const;

  // auth::KeySource: the published keys (current and recently retired).
  std::shared_ptr<const auth::KeySet> Keys() const override;
  absl::Status Refresh() override { return Load(); }

 private:
  absl::Time Now() const;
  absl::Status CreateKey(bool retire_others);

  pg::ConnectionPool& pool_;
  const KeySealer sealer_;
  const SigningKeysOptions options_;

  mutable absl::Mutex mu_;
  std::shared_ptr<const auth::JwtSigner> signer_ ABSL_GUARDED_BY(mu_);
  std::shared_ptr<const auth::KeySet> published_ ABSL_GUARDED_BY(mu_);
  absl::Time loaded_at_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
};

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_SIGNING_KEYS_H_
