// What Screener::Screen reads: the texts of one post and what is known of
// its author and space. Plain structs; the gRPC handler fills them from
// agora.moderation.v1.ScreenRequest.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_SCREENING_INPUT_H_
#define AGORA_SERVICES_MODERATION_SCREENING_SCREENING_INPUT_H_

#include <string>
#include <vector>

namespace agora::moderation::screening {

// One text field, UTF-8 ("title", "body", "review.pros" ...). Ill-formed
// UTF-8 is screened as if each bad byte were U+FFFD, and comes back so.
struct TextField {
  std::string field;
  std::string text;

  friend bool operator==(const TextField&, const TextField&) = default;
};

struct ScreeningInput {
  // BCP-47 language of the texts ("fr", "fr-BE"); selects which tenant rules
  // apply (rules without a language always apply). Built-in detectors look
  // for every supported language whatever this says: members mix languages.
  std::string language;
  // agora.common.v1.TrustLevel: 1 NEW .. 5 LEADER, after TRUSTED_MEMBER is
  // applied. Other values are treated as NEW (link policy; Decide).
  int trust_level = 1;
  // The author holds the STAFF role: claims to be staff are then legitimate.
  bool author_is_staff = false;
  // The texts, screened independently; the result keeps their order.
  std::vector<TextField> texts;
  // The space, "tenants/{tenant}/spaces/{space}"; selects the rules limited
  // to some spaces.
  std::string space;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_SCREENING_INPUT_H_
