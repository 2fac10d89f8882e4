// Identity's field rules are the shared ones (libs/api/text_rules.h).
#ifndef AGORA_SERVICES_IDENTITY_DOMAIN_TEXT_RULES_H_
#define AGORA_SERVICES_IDENTITY_DOMAIN_TEXT_RULES_H_

#include "libs/api/text_rules.h"

namespace agora::identity {

using api::CodePointCount;
using api::ValidateHttpsUrl;
using api::ValidateId;
using api::ValidateLanguageTag;
using api::ValidateText;

}  // namespace agora::identity

#endif  // AGORA_SERVICES_IDENTITY_DOMAIN_TEXT_RULES_H_
