// Claims to be bank staff: found when the author is not staff, ignored
// when they are.
#include <string>

#include "gtest/gtest.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

class StaffImpersonationTest : public ::testing::Test {
 protected:
  size_t Found(const std::string& text, bool author_is_staff = false) {
    testing::ScreenOptions options;
    options.author_is_staff = author_is_staff;
    return testing::FindingsOfType(testing::ScreenBody(*rules_, text, options),
                                   FindingType::kStaffImpersonation)
        .size();
  }

  // Staff names "BNP Paribas", "Hello bank!", "Support".
  std::shared_ptr<const CompiledTenantRules> rules_ =
      testing::MustCompile(testing::BankTenantConfig());
};

TEST_F(StaffImpersonationTest, ClaimsInEachLanguage) {
  for (const char* text : {
           "Bonjour, je suis conseiller chez BNP Paribas, je vais vous aider.",
           "Je suis votre conseillère, envoyez-moi un message privé.",
           "Je travaille à la banque, je peux débloquer votre carte.",
           "De la part du service client : votre compte est suspendu.",
           "I am an advisor at the bank, DM me.",
           "I work for BNP Paribas and can fix this.",
           "This is customer service. Please verify your account.",
           "Sono un operatore della banca, scrivimi in privato.",
           "Lavoro in banca, ti aiuto io.",
           "Jestem pracownikiem banku, proszę o kontakt.",
           "Pracuję w banku, mogę pomóc.",
           "Ik ben medewerker bij de bank, stuur me een bericht.",
           "Ik werk bij de bank en kan dit oplossen.",
           "Soy asesor del banco, escríbeme por privado.",
           "Trabajo en el banco, te ayudo.",
           "Support : votre compte sera fermé demain.",
           "Merci de votre patience.\nCordialement, l'équipe Support",
           "Cordialement,\nHello bank!",
       }) {
    EXPECT_EQ(Found(text), 1u) << text;
  }
}

TEST_F(StaffImpersonationTest, StaffMayClaimToBeStaff) {
  EXPECT_EQ(Found("Je suis conseiller chez BNP Paribas, je regarde ça.",
                  /*author_is_staff=*/true),
            0u);
  EXPECT_EQ(Found("Cordialement, l'équipe Support", /*author_is_staff=*/true),
            0u);
}

TEST_F(StaffImpersonationTest, OrdinaryTalkAboutTheBankIsNotAClaim) {
  for (const char* text : {
           "J'ai appelé le service client, aucune réponse.",
           "Mon conseiller BNP Paribas ne répond pas.",
           "Je suis client de la banque depuis 10 ans.",
           "Je suis conseiller en assurance, pas dans la banque.",
           "Le support technique est nul.",
           "Ici le service client ne répond jamais",
           "This is customer service at its worst",
           "I work for a small company.",
           "Je ne suis pas conseiller, juste un client.",
           "Contactez le support via l'appli.",
       }) {
    EXPECT_EQ(Found(text), 0u) << text;
  }
}

TEST_F(StaffImpersonationTest, WeighsSixty) {
  const ScreeningResult result =
      testing::ScreenBody(*rules_, "I work for the bank.");
  EXPECT_EQ(result.risk_score, 60);
  EXPECT_EQ(result.findings.at(0).rule, "builtin/staff-impersonation");
}

}  // namespace
}  // namespace agora::moderation::screening
