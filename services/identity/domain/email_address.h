// E-mail addresses as identity keeps them: trimmed, domain lower-cased (the
// local part is left as typed, RFC 5321 lets it be case-sensitive) and
// compared through a fully lower-cased key, which is what every mail system
// in practice treats as the same mailbox.
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_EMAIL_ADDRESS_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_EMAIL_ADDRESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace agora::identity {

struct EmailAddress {
  std::string normalized;  // what is stored and shown
  std::string key;         // what uniqueness and look-ups use
};

// INVALID_ARGUMENT naming `field` unless `text` (after trimming) is a
// 3-254 character addr-spec: a dot-atom local part of 1-64 characters, "@",
// a domain of dot-separated LDH labels with at least one dot. Quoted local
// parts and IP-literal domains are refused: no sign-up needs them.
absl::StatusOr<EmailAddress> NormalizeEmail(absl::string_view field,
                                            absl::string_view text);

// "j•••@example.com": the first character of the local part, then dots.
std::string MaskEmail(absl::string_view email);

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_EMAIL_ADDRESS_H_
