// Single-use, expiring tokens handed to a person (by e-mail, or to the
// browser for an account-link confirmation). Only their SHA-256 is stored;
// consuming one marks it used in the same transaction as its effect.
#ifndef AGORA_SERVICES_IDENTITY_REPOSITORY_ONE_TIME_TOKENS_H_
#define AGORA_SERVICES_IDENTITY_REPOSITORY_ONE_TIME_TOKENS_H_

#include <nlohmann/json.hpp>
#include <pqxx/transaction_base>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace agora::identity {

// Purposes (one_time_tokens.purpose).
inline constexpr char kVerifyEmailPurpose[] = "verify_email";
inline constexpr char kPasswordResetPurpose[] = "password_reset";
inline constexpr char kAccountLinkPurpose[] = "account_link";

// A new token for `member`; returns its plaintext (43 characters). Earlier
// unused tokens of the same purpose and member stop working: only the
// newest e-mail's link is valid.
std::string CreateOneTimeToken(pqxx::transaction_base& tx,
                               absl::string_view purpose,
                               absl::string_view tenant,
                               absl::string_view member, absl::Time expire_time,
                               const nlohmann::json& payload = {});

struct ConsumedToken {
  std::string member;
  nlohmann::json payload;
};

// Marks the token used and returns what it was for. INVALID_ARGUMENT naming
// `field` with reason TOKEN_EXPIRED_OR_USED when it is unknown, of another
// purpose or tenant, expired or already used.
absl::StatusOr<ConsumedToken> ConsumeOneTimeToken(pqxx::transaction_base& tx,
                                                  absl::string_view field,
                                                  absl::string_view purpose,
                                                  absl::string_view tenant,
                                                  absl::string_view token);

// What a live token is for, without using it up (a confirmation that may
// still fail, such as a wrong password, must leave the token usable).
// Same errors as ConsumeOneTimeToken.
absl::StatusOr<ConsumedToken> PeekOneTimeToken(pqxx::transaction_base& tx,
                                               absl::string_view field,
                                               absl::string_view purpose,
                                               absl::string_view tenant,
                                               absl::string_view token);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_REPOSITORY_ONE_TIME_TOKENS_H_
