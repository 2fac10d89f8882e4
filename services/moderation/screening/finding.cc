#include "services/moderation/screening/finding.h"

namespace agora::moderation::screening {

absl::string_view FindingTypeName(FindingType type) {
  switch (type) {
    case FindingType::kCardNumber:
      return "card-number";
    case FindingType::kIban:
      return "iban";
    case FindingType::kEmailAddress:
      return "email-address";
    case FindingType::kPhoneNumber:
      return "phone-number";
    case FindingType::kNationalIdFrNir:
      return "national-id-fr-nir";
    case FindingType::kNationalIdItCodiceFiscale:
      return "national-id-it-codice-fiscale";
    case FindingType::kNationalIdPlPesel:
      return "national-id-pl-pesel";
    case FindingType::kNationalIdNlBsn:
      return "national-id-nl-bsn";
    case FindingType::kNationalIdEsDniNie:
      return "national-id-es-dni-nie";
    case FindingType::kCredentialRequest:
      return "credential-request";
    case FindingType::kLookalikeDomain:
      return "lookalike-domain";
    case FindingType::kStaffImpersonation:
      return "staff-impersonation";
    case FindingType::kBlockedTerm:
      return "blocked-term";
    case FindingType::kWatchedTerm:
      return "watched-term";
    case FindingType::kLinkPolicy:
      return "link-policy";
    case FindingType::kShouting:
      return "shouting";
    case FindingType::kDuplicate:
      return "duplicate";
    case FindingType::kVelocity:
      return "velocity";
  }
  return "unknown";
}

bool IsPersonalData(FindingType type) {
  switch (type) {
    case FindingType::kCardNumber:
    case FindingType::kIban:
    case FindingType::kEmailAddress:
    case FindingType::kPhoneNumber:
    case FindingType::kNationalIdFrNir:
    case FindingType::kNationalIdItCodiceFiscale:
    case FindingType::kNationalIdPlPesel:
    case FindingType::kNationalIdNlBsn:
    case FindingType::kNationalIdEsDniNie:
      return true;
    default:
      return false;
  }
}

}  // namespace agora::moderation::screening
