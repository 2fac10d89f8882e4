// Shared by the auth tests: a controllable clock, a key source whose refreshes
// are counted, and helpers to build tokens by hand (for the forgeries a
// JwtSigner would never produce).
#ifndef AGORA_TESTS_LIBS_AUTH_TEST_TOKENS_H_
#define AGORA_TESTS_LIBS_AUTH_TEST_TOKENS_H_

#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "libs/auth/base64url.h"
#include "libs/auth/claims.h"
#include "libs/auth/ed25519_key.h"
#include "libs/auth/key_set.h"
#include "libs/auth/key_source.h"

namespace agora::auth::auth_test {

inline constexpr char kIssuer[] = "https://identity.agora.test";
inline constexpr char kAudience[] = "agora";

class FakeClock {
 public:
  explicit FakeClock(absl::Time now) : now_(now) {}
  absl::Time Now() const {
    absl::MutexLock lock(&mutex_);
    return now_;
  }
  void Advance(absl::Duration d) {
    absl::MutexLock lock(&mutex_);
    now_ += d;
  }
  std::function<absl::Time()> AsFunction() {
    return [this] { return Now(); };
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_ ABSL_GUARDED_BY(mutex_);
};

// Serves `current` keys; Refresh() counts itself and copies `published` into
// `current` (or fails, when told to), as a JWKS endpoint would after a
// rotation.
class FakeKeySource : public KeySource {
 public:
  explicit FakeKeySource(KeySet keys)
      : current_(std::make_shared<const KeySet>(keys)),
        published_(std::move(keys)) {}

  std::shared_ptr<const KeySet> Keys() const override {
    absl::MutexLock lock(&mutex_);
    return current_;
  }
  absl::Status Refresh() override {
    absl::Duration delay;
    {
      absl::MutexLock lock(&mutex_);
      ++refreshes_;
      delay = refresh_delay_;
    }
    absl::SleepFor(delay);  // widens the window for concurrency tests
    absl::MutexLock lock(&mutex_);
    if (!refresh_status_.ok()) return refresh_status_;
    current_ = std::make_shared<const KeySet>(published_);
    return absl::OkStatus();
  }

  void Publish(KeySet keys) {
    absl::MutexLock lock(&mutex_);
    published_ = std::move(keys);
  }
  void FailRefreshes(absl::Status status) {
    absl::MutexLock lock(&mutex_);
    refresh_status_ = std::move(status);
  }
  void SetRefreshDelay(absl::Duration delay) {
    absl::MutexLock lock(&mutex_);
    refresh_delay_ = delay;
  }
  int refreshes() const {
    absl::MutexLock lock(&mutex_);
    return refreshes_;
  }

 private:
  mutable absl::Mutex mutex_;
  std::shared_ptr<const KeySet> current_ ABSL_GUARDED_BY(mutex_);
  KeySet published_ ABSL_GUARDED_BY(mutex_);
  absl::Status refresh_status_ ABSL_GUARDED_BY(mutex_);
  absl::Duration refresh_delay_ ABSL_GUARDED_BY(mutex_);
  int refreshes_ ABSL_GUARDED_BY(mutex_) = 0;
};

inline Ed25519PrivateKey NewKey() {
  absl::StatusOr<Ed25519PrivateKey> key = Ed25519PrivateKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status();
  return *std::move(key);
}

// Copy of a private key (through PEM), for a test that needs one to sign
// with directly and one to give to a JwtSigner.
inline Ed25519PrivateKey CopyKey(const Ed25519PrivateKey& key) {
  absl::StatusOr<std::string> pem = key.ToPem();
  EXPECT_TRUE(pem.ok()) << pem.status();
  absl::StatusOr<Ed25519PrivateKey> copy = Ed25519PrivateKey::FromPem(*pem);
  EXPECT_TRUE(copy.ok()) << copy.status();
  return *std::move(copy);
}

inline KeySet KeySetOf(std::initializer_list<const Ed25519PublicKey*> keys) {
  KeySet set;
  for (const Ed25519PublicKey* key : keys) {
    EXPECT_TRUE(set.Add(*key).ok());
  }
  return set;
}

// A member of tenant "fr", valid from `now` for 15 minutes.
inline Claims MemberClaims(absl::Time now) {
  Claims claims;
  claims.issuer = kIssuer;
  claims.subject = "member-42";
  claims.audience = {kAudience};
  claims.issued_at = now;
  claims.not_before = now;
  claims.expires_at = now + absl::Minutes(15);
  claims.token_id = "jti-1";
  claims.tenant = "fr";
  claims.roles = {"member"};
  claims.trust_level = kTrustLevelMember;
  claims.scopes = {};
  return claims;
}

// header "." payload "." signature, each encoded; `signature` is raw bytes.
inline std::string CraftToken(absl::string_view header_json,
                              absl::string_view payload_json,
                              absl::string_view signature) {
  return absl::StrCat(Base64UrlEncode(header_json), ".",
                      Base64UrlEncode(payload_json), ".",
                      Base64UrlEncode(signature));
}

// A token over arbitrary header and payload JSON, really signed by `key`:
// for checks that must hold even when the signature is valid.
inline std::string SignCrafted(const Ed25519PrivateKey& key,
                               absl::string_view header_json,
                               absl::string_view payload_json) {
  const std::string input = absl::StrCat(Base64UrlEncode(header_json), ".",
                                         Base64UrlEncode(payload_json));
  absl::StatusOr<std::string> signature = key.Sign(input);
  EXPECT_TRUE(signature.ok()) << signature.status();
  return absl::StrCat(input, ".", Base64UrlEncode(*signature));
}

}  // namespace agora::auth::auth_test

#endif  // AGORA_TESTS_LIBS_AUTH_TEST_TOKENS_H_
