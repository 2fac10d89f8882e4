// Throttling of password guesses and account requests, held in Redis so
// that every replica sees the same counts:
//   - per account (the e-mail, known or not, so throttling reveals nothing):
//     after `free_failures_before_backoff` failures each new failure doubles
//     a wait (1 s, 2 s, 4 s ... at most 15 minutes), and after
//     `max_failures_per_account_hour` failures in an hour the account is
//     refused until the hour has passed;
//   - per client address: at most `max_failures_per_address_hour` failures
//     an hour across accounts (password spraying);
//   - per client address: sign-ups, verification e-mails and reset requests.
// Refusals are RESOURCE_EXHAUSTED with reason RATE_LIMITED and a RetryInfo.
// When Redis cannot be reached the checks let requests through (logged):
// locking every member out during a Redis restart would be worse, and the
// argon2 cost still bounds guessing.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_LOGIN_THROTTLE_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_LOGIN_THROTTLE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "services/identity/domain/identity_context.h"

namespace agora::identity {

class LoginThrottle {
 public:
  // `account` names what is guessed at (an e-mail key, a service account);
  // `address` the client address ("" when unknown).
  LoginThrottle(IdentityContext& context, absl::string_view tenant,
                absl::string_view account, absl::string_view address);

  // OK, or RESOURCE_EXHAUSTED when the account or address must wait.
  absl::Status Check() const;
  void RecordFailure() const;
  // A correct password clears the account's failures and wait.
  void RecordSuccess() const;

 private:
  IdentityContext& context_;
  std::string account_key_;
  std::string address_key_;
};

// RESOURCE_EXHAUSTED when `address` made more than the allowed account
// requests (`kind`: "signup", "mail") this hour; counts this one.
absl::Status CheckAccountRequestRate(IdentityContext& context,
                                     absl::string_view tenant,
                                     absl::string_view kind,
                                     absl::string_view address);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_LOGIN_THROTTLE_H_
