// What the identity domain works with: PostgreSQL, Redis, the outbox, the
// signing keys, the password hasher, the OpenID client, settings and the
// clock. Built once in main (or by a test fixture) and shared by every
// handler thread.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_CONTEXT_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_CONTEXT_H_

#include <functional>
#include <string>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "libs/events/outbox.h"
#include "libs/pg/pool.h"
#include "libs/redis/client.h"
#include "libs/redis/keys.h"

namespace agora::identity {

class SigningKeys;
class PasswordHasher;
namespace oidc {
class ProviderClient;
}

struct IdentitySettings {
  // `iss` and `aud` of every access token.
  std::string issuer = "agora-identity";
  std::string audience = "agora";
  absl::Duration access_token_ttl = absl::Minutes(15);
  // A refresh token not used for this long expires (sliding: each rotation
  // issues a new one).
  absl::Duration refresh_token_ttl = absl::Hours(24 * 30);
  absl::Duration email_verification_ttl = absl::Hours(24);
  absl::Duration password_reset_ttl = absl::Hours(1);
  absl::Duration link_confirmation_ttl = absl::Minutes(15);
  absl::Duration social_login_ttl = absl::Minutes(10);
  // Login throttling: failures per account per hour before refusing, and
  // failures before exponential back-off starts.
  int max_failures_per_account_hour = 100;
  int free_failures_before_backoff = 5;
  int max_failures_per_address_hour = 300;
  // Sign-ups, verification and reset requests per client address per hour.
  int max_account_requests_per_address_hour = 30;
};

struct IdentityContext {
  pg::ConnectionPool& pool;
  redis::RedisClient& redis;
  redis::KeyBuilder keys;
  SigningKeys& signing_keys;
  const PasswordHasher& passwords;
  // Null when social sign-in is not configured (tests of other areas).
  const oidc::ProviderClient* oidc = nullptr;
  events::Outbox outbox{"identity"};
  IdentitySettings settings{};
  std::function<absl::Time()> now = [] { return absl::Now(); };
};

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_IDENTITY_CONTEXT_H_
