// What a new password must be: 12-128 characters (code points), not one of
// the most common passwords (a short embedded list, compared without case
// and with trailing digits and symbols stripped), and not the member's own
// e-mail address. Length rules follow NIST SP 800-63B: long passphrases are
// welcome, no composition rules.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_POLICY_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_POLICY_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

inline constexpr int kMinPasswordLength = 12;
inline constexpr int kMaxPasswordLength = 128;

// INVALID_ARGUMENT naming `field` ("password", "new_password") when the
// password breaks a rule above; reason PASSWORD_TOO_COMMON for common ones.
absl::Status ValidateNewPassword(absl::string_view field,
                                 absl::string_view password,
                                 absl::string_view email);

// INVALID_ARGUMENT naming `field` unless the password offered to sign in is
// 1-128 characters (anything longer is refused before hashing, so a huge
// body cannot make argon2 work for nothing).
absl::Status ValidatePresentedPassword(absl::string_view field,
                                       absl::string_view password);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_PASSWORD_POLICY_H_
