// Requests for and disclosures of one-time codes, passwords and PINs in
// each language, and the mentions and warnings that are not requests.
//
// Decision (documented in credential_request_detector.h): a member saying
// what happened to their own password ("j'ai changé mon mot de passe",
// "mon code ne marche pas") or warning others ("ne communiquez jamais votre
// code") is not flagged; asking someone for theirs, or typing one's own
// ("mon code est 482913"), is.
#include <string>

#include "gtest/gtest.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

class CredentialRequestsTest : public ::testing::Test {
 protected:
  std::vector<Finding> Found(const std::string& text) {
    return testing::FindingsOfType(testing::ScreenBody(*rules_, text),
                                   FindingType::kCredentialRequest);
  }

  std::shared_ptr<const CompiledTenantRules> rules_ =
      testing::MustCompile(testing::BankTenantConfig());
};

TEST_F(CredentialRequestsTest, RequestsInEachLanguage) {
  for (const char* text : {
           // fr
           "Envoyez-moi votre code reçu par SMS pour débloquer le virement.",
           "Donne-moi ton mot de passe, je regarde ton compte.",
           "Merci de me communiquer votre code confidentiel en MP.",
           "Pouvez-vous m'indiquer le code de vérification ?",
           "Transmettez-moi votre identifiant et je m'en occupe.",
           "Quel est votre code PIN ?",
           "Envoie moi en privé ton code",
           "Dites-moi le cryptogramme au dos de la carte",
           // en
           "Please send me your one-time code so I can fix it.",
           "DM me your password and I'll check.",
           "Just give us the verification code you received.",
           "What's your PIN?",
           "Share your login details privately.",
           // it
           "Inviami il codice OTP che hai ricevuto.",
           "Mandami la tua password e ci penso io.",
           "Dimmi il codice ricevuto via SMS.",
           "Qual è il tuo PIN?",
           // pl
           "Podaj kod BLIK, to zrobię przelew.",
           "Wyślij mi swoje hasło, sprawdzę konto.",
           "Proszę o kod SMS z banku.",
           "Jaki jest twój PIN?",
           // nl
           "Stuur me je wachtwoord, dan kijk ik even.",
           "Geef me de sms-code die je kreeg.",
           "Kun je je pincode even doorgeven?",
           "Wat is je inlogcode?",
           // es
           "Envíame tu contraseña y lo reviso.",
           "Dime el código de verificación que te llegó.",
           "Pásame la clave SMS.",
           "¿Cuál es tu PIN?",
       }) {
    EXPECT_EQ(Found(text).size(), 1u) << text;
  }
}

TEST_F(CredentialRequestsTest, DisclosuresInEachLanguage) {
  for (const char* text : {
           "Mon code est 482913, pourquoi ça bloque ?",
           "Mon mot de passe est Azerty123 et il ne marche pas.",
           "Voici mon code : 193847",
           "My password is hunter22, it doesn't work.",
           "PIN: 4821",
           "Il mio codice OTP è 583920.",
           "Moje hasło to Kot2024!",
           "Mijn pincode is 1234.",
           "Mi contraseña es Perro99.",
           "code sms 482913",
       }) {
    EXPECT_EQ(Found(text).size(), 1u) << text;
  }
}

TEST_F(CredentialRequestsTest, MentionsWarningsAndOtherCodesAreNotFlagged) {
  for (const char* text : {
           // Mentions of one's own credentials.
           "J'ai changé mon mot de passe hier.",
           "J'ai oublié mon code PIN, comment le réinitialiser ?",
           "Mon code ne marche plus depuis ce matin.",
           "Mon mot de passe est expiré.",
           "My password is not working since the update.",
           "Il codice OTP non arriva.",
           "Nie pamiętam hasła do aplikacji.",
           "Mijn wachtwoord werkt niet meer.",
           "Mi contraseña no funciona.",
           // Warnings.
           "Ne communiquez jamais votre code à personne.",
           "N'envoyez pas votre mot de passe par mail.",
           "Ne donnez votre code à personne, même au conseiller.",
           "Never share your password with anyone.",
           "Don't give your PIN to strangers.",
           "Non comunicare mai il tuo codice.",
           "Nie podawaj nikomu kodu BLIK.",
           "Deel nooit je wachtwoord.",
           "Nunca compartas tu contraseña.",
           // Codes that are not secrets.
           "Indiquez votre code postal pour trouver l'agence.",
           "Envoyez-moi le code promo de la semaine !",
           "Donne-moi le code de parrainage stp.",
           "Send me your referral code.",
           "Give me the promo code.",
           "Inviami il codice fiscale del titolare.",
           "Podaj kod pocztowy.",
           "Dime tu código postal.",
           "Le code 3D Secure arrive par SMS, c'est normal ?",
       }) {
    EXPECT_TRUE(Found(text).empty()) << text;
  }
}

TEST_F(CredentialRequestsTest, FindingCoversThePhraseAndCountsOnce) {
  const std::string text =
      "Bonjour ! Envoyez-moi votre code. Et envoyez-moi votre code encore.";
  const ScreeningResult result = testing::ScreenBody(*rules_, text);
  const std::vector<Finding> found =
      testing::FindingsOfType(result, FindingType::kCredentialRequest);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].start, 10);
  EXPECT_EQ(found[0].length, 22);  // "Envoyez-moi votre code"
  EXPECT_EQ(found[0].rule, "builtin/credential-request");
  EXPECT_EQ(found[0].risk, 70);
  EXPECT_EQ(found[1].risk, 0);
  EXPECT_EQ(result.risk_score, 70);
}

TEST_F(CredentialRequestsTest, ConfusablesAndFullWidthDoNotHideARequest) {
  EXPECT_EQ(Found("Envoyez-moi votre c\u043ede (Cyrillic o)").size(), 1u);
  EXPECT_EQ(Found("ＥＮＶＯＹＥＺ-ＭＯＩ ＶＯＴＲＥ ＣＯＤＥ").size(), 1u);
  EXPECT_EQ(Found("envoyez-moi votre mot de\u00a0passe").size(), 1u);
}

}  // namespace
}  // namespace agora::moderation::screening
