// What screening reports: one Finding per thing found in one text field.
// The handler maps these to agora.moderation.v1.Finding one to one.
#ifndef AGORA_SERVICES_MODERATION_SCREENING_FINDING_H_
#define AGORA_SERVICES_MODERATION_SCREENING_FINDING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace agora::moderation::screening {

// Same meanings and numbers as agora.moderation.v1.FindingType.
enum class FindingType {
  kCardNumber = 1,
  kIban = 2,
  kEmailAddress = 3,
  kPhoneNumber = 4,
  kNationalIdFrNir = 5,
  kNationalIdItCodiceFiscale = 6,
  kNationalIdPlPesel = 7,
  kNationalIdNlBsn = 8,
  kNationalIdEsDniNie = 9,
  kCredentialRequest = 10,
  kLookalikeDomain = 11,
  kStaffImpersonation = 12,
  kBlockedTerm = 13,
  kWatchedTerm = 14,
  kLinkPolicy = 15,
  kShouting = 16,
  // Produced by the service (Redis history), never by Screener; here so
  // that Decide and the reason codes cover them.
  kDuplicate = 17,
  kVelocity = 18,
};

// "card-number", "iban", ... for logs and test messages.
absl::string_view FindingTypeName(FindingType type);

// True for the personal data that screening masks (cards, IBANs, e-mail
// addresses, phone numbers, national identifiers).
bool IsPersonalData(FindingType type);

struct Finding {
  FindingType type = FindingType::kCardNumber;
  // The text field: "title", "body" or an extra text's field.
  std::string field;
  // Position in the MASKED text of `field`, in Unicode code points; for a
  // masked finding it covers the mask exactly. -1 and 0 for findings about
  // the whole post (duplicate, velocity).
  int start = -1;
  int length = 0;
  // A tenant rule's name, or a built-in detector id (builtin_rules.h).
  std::string rule;
  // Risk points this finding added to the score (risk_weights.h); 0 when an
  // earlier finding of the same type and rule already counted.
  int risk = 0;
  // Whether the matched text was replaced by a mask.
  bool masked = false;

  friend bool operator==(const Finding&, const Finding&) = default;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_FINDING_H_
