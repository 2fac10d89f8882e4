// E-mail addresses: a local part of letters, digits and ._%+- , "@", and a
// domain of at least two labels ending in an alphabetic top-level domain of
// two or more letters. Matched on the folded text, so full-width "＠" and
// accented local parts are caught too. Masked as "•••@•••".
#ifndef AGORA_SERVICES_MODERATION_SCREENING_EMAIL_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_EMAIL_DETECTOR_H_

#include <cstddef>
#include <vector>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

inline constexpr absl::string_view kEmailMask =
    "\u2022\u2022\u2022@\u2022\u2022\u2022";

struct EmailMatch {
  // Folded bytes of the whole address and of its domain.
  size_t begin = 0;
  size_t end = 0;
  size_t domain_begin = 0;
};

// Appends every e-mail address of `folded` (FoldedText::text()).
void FindEmailAddresses(absl::string_view folded, std::vector<EmailMatch>* out);

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_EMAIL_DETECTOR_H_
