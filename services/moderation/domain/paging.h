// Moderation pages its lists the shared way (libs/api/paging.h).
#ifndef AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_
#define AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_

#include "libs/api/paging.h"

namespace agora::moderation {

using api::DecodeOffsetToken;
using api::DecodePageToken;
using api::EncodePageToken;
using api::PageSize;

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_DOMAIN_PAGING_H_
