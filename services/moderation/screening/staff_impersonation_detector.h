// Claims to be bank staff, reported only when the author is not staff: the
// fake "adviser" who answers a member's question and then asks for their
// codes. In fr/en/it/pl/nl/es, on the folded text:
//   - "I am an adviser/employee ... at/of <the bank or a staff name>",
//     "je suis votre conseiller", "sono un operatore della banca", "jestem
//     pracownikiem banku", "ik ben medewerker bij de bank", "soy asesor del
//     banco";
//   - "I work for/at <the bank>", "je travaille chez <name>", "lavoro in
//     banca", "pracuję w banku", "ik werk bij de bank", "trabajo en el
//     banco";
//   - "this is customer service", "ici le service client", "u spreekt met
//     de klantenservice", "on behalf of the bank", "official support";
//   - signing as staff: a line starting with a staff name or a service name
//     and ":" or " -" ("Support : ..."), or a closing formula followed by
//     one ("Cordialement, l'équipe Support").
// <name> is any of the tenant's staff names (folded), besides generic
// words for "the bank" in each language.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_STAFF_IMPERSONATION_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_STAFF_IMPERSONATION_DETECTOR_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/moderation/screening/detection.h"

namespace agora::moderation::screening {

class StaffImpersonationDetector {
 public:
  // `staff_names`: as configured (folded here). INTERNAL if the phrases do
  // not compile (a bug) — names are quoted, so no name can break them.
  static absl::StatusOr<std::unique_ptr<StaffImpersonationDetector>> Create(
      const std::vector<std::string>& staff_names);

  // Appends every claim in `folded`. Const, thread-safe.
  void Find(absl::string_view folded, std::vector<Detection>* out) const;

  // The one RE2 pattern of all the phrases, for the tenant's
  // PatternPrefilter.
  absl::string_view pattern() const { return phrases_->pattern(); }

 private:
  explicit StaffImpersonationDetector(std::unique_ptr<RE2> phrases)
      : phrases_(std::move(phrases)) {}

  std::unique_ptr<RE2> phrases_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_STAFF_IMPERSONATION_DETECTOR_H_
