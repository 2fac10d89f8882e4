// Who the provider says signed in: what the identity service links to a
// member.
#ifndef AGORA_SERVICES_IDENTITY_OIDC_EXTERNAL_USER_H_
#define AGORA_SERVICES_IDENTITY_OIDC_EXTERNAL_USER_H_

#include <string>

namespace agora::identity::oidc {

struct ExternalUser {
  // The provider's stable id for the user (1-255 bytes): with the provider,
  // the key to link. Never the email, which users can change.
  std::string subject;
  // Optional profile fields; empty when the provider gave none, or gave one
  // that was not a string or was too long (email > 320 bytes, name > 256,
  // locale > 35).
  std::string email;
  // True only when the provider said so, as a JSON true or the string "true"
  // (some providers send the string). Only then may the email be trusted.
  bool email_verified = false;
  std::string name;
  std::string locale;
};

}  // namespace agora::identity::oidc

#endif  // AGORA_SERVICES_IDENTITY_OIDC_EXTERNAL_USER_H_
