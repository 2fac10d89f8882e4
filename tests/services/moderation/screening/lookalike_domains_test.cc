// Links and e-mail domains that imitate the bank's domains, and the bank's
// real domains.
#include <string>

#include "gtest/gtest.h"
#include "services/moderation/screening/lookalike_domain_detector.h"
#include "tests/services/moderation/screening/screening_fixtures.h"

namespace agora::moderation::screening {
namespace {

class LookalikeDomainsTest : public ::testing::Test {
 protected:
  std::vector<Finding> Found(const std::string& text) {
    return testing::FindingsOfType(testing::ScreenBody(*rules_, text),
                                   FindingType::kLookalikeDomain);
  }

  // bnpparibas.fr, mabanque.bnpparibas, hellobank.fr.
  std::shared_ptr<const CompiledTenantRules> rules_ =
      testing::MustCompile(testing::BankTenantConfig());
};

TEST_F(LookalikeDomainsTest, TheBanksRealDomainsAreFine) {
  for (const char* text : {
           "Voir https://www.bnpparibas.fr/fr/aide pour les frais.",
           "Tout est sur mabanque.bnpparibas, rubrique Cartes.",
           "https://secure.mabanque.bnpparibas/login",
           "Le site hellobank.fr est clair.",
           "https://WWW.BNPPARIBAS.FR",
           "ｈｔｔｐｓ://ｗｗｗ.ｂｎｐｐａｒｉｂａｓ.ｆｒ",  // full-width: IDNA
                                                             // maps it to the
                                                             // real host
           "Écrivez à service@bnpparibas.fr",
           "Aucun rapport : https://www.service-public.fr et booking.com",
       }) {
    EXPECT_TRUE(Found(text).empty()) << text;
  }
}

TEST_F(LookalikeDomainsTest, LookAlikesAreFound) {
  for (const char* text : {
           "Connectez-vous sur bnp-paribas-secure.com pour valider.",
           "https://bnpparibas.fr.login-verif.xyz/compte",
           "Allez sur www.bnpparlbas.fr",  // l for i (distance 1)
           "http://bnppariba.fr/",         // a letter missing
           "https://bnpparibas.com/aide",  // another TLD
           "https://secure-bnpparibas.net", "https://mabanque-bnpparibas.info/",
           "http://hellobank-support.fr",
           "https://bnpp\u0430ribas.fr/",    // Cyrillic а
           "https://xn--bnppribas-3yh.fr/",  // the same, in punycode
           "https://hel1obank.fr",           // 1 for l
           "Contact : conseiller@bnpparibas-clients.com",  // e-mail domain
       }) {
    EXPECT_EQ(Found(text).size(), 1u) << text;
  }
}

TEST_F(LookalikeDomainsTest, FindingCoversTheLinkAndWeighsEighty) {
  const ScreeningResult result = testing::ScreenBody(
      *rules_, "Allez sur https://bnp-paribas-secure.com/login vite");
  const std::vector<Finding> found =
      testing::FindingsOfType(result, FindingType::kLookalikeDomain);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].start, 10);
  EXPECT_EQ(found[0].length, 36);
  EXPECT_EQ(found[0].rule, "builtin/lookalike-domain");
  EXPECT_EQ(result.risk_score, 80);
}

TEST_F(LookalikeDomainsTest, ShortBankNamesNeedAWholeLabel) {
  TenantScreeningConfig config = testing::BankTenantConfig();
  config.link_policy.bank_domains = {"ing.nl"};
  const auto rules = testing::MustCompile(config);
  auto found = [&](const std::string& text) {
    return testing::FindingsOfType(testing::ScreenBody(*rules, text),
                                   FindingType::kLookalikeDomain)
        .size();
  };
  EXPECT_EQ(found("https://ing-secure.nl/login"), 1u);
  EXPECT_EQ(found("https://ing.com.verify.xyz"), 1u);
  EXPECT_EQ(found("https://ing.nl/particulier"), 0u);
  EXPECT_EQ(found("https://booking.com/"), 0u);
  EXPECT_EQ(found("https://king.nl/"), 0u);
}

TEST(BoundedEditDistanceTest, CountsEditsAndStopsEarly) {
  EXPECT_EQ(BoundedEditDistance("bnpparibas", "bnpparibas", 2), 0);
  EXPECT_EQ(BoundedEditDistance("bnpparibas", "bnpparlbas", 2), 1);
  EXPECT_EQ(BoundedEditDistance("bnpparibas", "bnparibas", 2), 1);
  EXPECT_EQ(BoundedEditDistance("bnpparibas", "bnppar1bas5", 2), 2);
  EXPECT_EQ(BoundedEditDistance("bnpparibas", "societegenerale", 2), 3);
}

TEST(LookalikeDomainDetectorTest, RejectsBankDomainsThatAreNotDomains) {
  EXPECT_EQ(LookalikeDomainDetector::Create({"not a domain"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace agora::moderation::screening
