// Requests for, and disclosures of, one-time codes, passwords, card PINs and
// card security codes, in French, English, Italian, Polish, Dutch and
// Spanish: the first move of the fraud in which a "helper" asks a member for
// the code the bank just sent them.
//
// What counts (on the folded text, whatever the post's language):
//   - a request: an imperative or infinitive of giving/sending/telling,
//     optionally "me"/"us" and a channel ("en MP", "in DM"), then a
//     possessive or article and a credential: "envoyez-moi votre code reçu
//     par SMS", "give me your PIN", "inviami il codice OTP", "podaj kod
//     BLIK", "stuur me je wachtwoord", "dime tu contraseña";
//   - a question: "quel est votre mot de passe", "what's your pin", "qual è
//     la tua password", "jaki jest twój kod", "wat is je pincode", "cuál es
//     tu clave";
//   - a disclosure: "my/mon/il mio/mój/mijn/mi" + credential + "is/est/è/to/
//     is/es" + a value with a digit ("mon code est 482913", "my password is
//     Azerty123"), or a credential followed by 4-8 digits ("PIN: 1234").
// What does not: mentions ("j'ai changé mon mot de passe", "mon code ne
// marche pas", "il codice OTP non arriva"); warnings, where a negation
// precedes the verb in the same clause ("ne communiquez jamais votre code",
// "never share your password", "nie podawaj nikomu kodu"); and codes that
// are not secrets ("code promo", "code postal", "codice fiscale", "kod
// pocztowy", "código postal", "sort code").
#ifndef AGORA_SERVICES_MODERATION_SCREENING_CREDENTIAL_REQUEST_DETECTOR_H_
#define AGORA_SERVICES_MODERATION_SCREENING_CREDENTIAL_REQUEST_DETECTOR_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "services/moderation/screening/detection.h"

namespace agora::moderation::screening {

class CredentialRequestDetector {
 public:
  // INTERNAL if the built-in phrases fail to compile (a bug, caught by the
  // tests).
  static absl::StatusOr<std::unique_ptr<CredentialRequestDetector>> Create();

  // Appends every request or disclosure in `folded`. Const, thread-safe.
  void Find(absl::string_view folded, std::vector<Detection>* out) const;

  // The one RE2 pattern of all the phrases, for the tenant's
  // PatternPrefilter.
  absl::string_view pattern() const { return phrases_->pattern(); }

 private:
  explicit CredentialRequestDetector(std::unique_ptr<RE2> phrases)
      : phrases_(std::move(phrases)) {}

  std::unique_ptr<RE2> phrases_;
};

}  // namespace agora::moderation::screening

#endif  // AGORA_SERVICES_MODERATION_SCREENING_CREDENTIAL_REQUEST_DETECTOR_H_
