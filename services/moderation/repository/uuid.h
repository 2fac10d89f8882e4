// Resource ids of the moderation service are UUIDs (queue items, appeals,
// decisions, flags, screenings). Ids from requests are checked before they
// reach SQL as uuid values, so that a malformed id is simply not found.
#ifndef AGORA_SERVICES_MODERATION_REPOSITORY_UUID_H_
#define AGORA_SERVICES_MODERATION_REPOSITORY_UUID_H_

#include "absl/strings/string_view.h"

namespace agora::moderation {

// Canonical text form: 8-4-4-4-12 hexadecimal digits, either case.
inline bool IsUuid(absl::string_view id) {
  if (id.size() != 36) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                 (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

}  // namespace agora::moderation

#endif  // AGORA_SERVICES_MODERATION_REPOSITORY_UUID_H_
